package org.csp.edge.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between two policy documents, on their JSON trees (so that settings added to the policy later are
 * compared without any change here): one {@code {path, from, to}} per leaf that differs, the path dotted from the
 * document's top ({@code codes.8F3E.mode}); a setting or code added has {@code from} null, one removed {@code to}
 * null. Arrays are compared whole, as one value.
 */
public final class PolicyDiff {
  private PolicyDiff() {}

  public static JsonArray between(JsonObject from, JsonObject to) {
    JsonArray changes = new JsonArray();
    walk("", from, to, changes);
    return changes;
  }

  private static void walk(String path, Object from, Object to, JsonArray changes) {
    if (from instanceof JsonObject a && to instanceof JsonObject b) {
      TreeSet<String> keys = new TreeSet<>(a.fieldNames());
      keys.addAll(b.fieldNames());
      for (String key : keys) walk(path.isEmpty() ? key : path + "." + key, a.getValue(key), b.getValue(key), changes);
    } else if (!Objects.equals(from, to)) {
      changes.add(new JsonObject().put("path", path).put("from", from).put("to", to));
    }
  }
}
