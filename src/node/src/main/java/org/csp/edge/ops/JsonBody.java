package org.csp.edge.ops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Map;

/**
 * The JSON object an operator's request carries (a policy, a silence, an annotation, a preview). A key written twice
 * in one object is refused, not read as its last value: in a policy, a second {@code codes} would silently replace
 * the first's rules, as a second section did in the configuration file before it was refused there too.
 */
public final class JsonBody {
  private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JsonBody() {}

  /** The body as a JSON object; null when there is none, or it is not JSON, not an object, or repeats a key. */
  public static JsonObject object(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    if (body == null) return null;
    try {
      Object tree = STRICT.readValue(body.getBytes(), Object.class);
      if (!(tree instanceof Map<?, ?> map)) return null;
      @SuppressWarnings("unchecked")
      JsonObject object = new JsonObject((Map<String, Object>) map);
      return object;
    } catch (IOException e) {
      return null;
    }
  }
}
