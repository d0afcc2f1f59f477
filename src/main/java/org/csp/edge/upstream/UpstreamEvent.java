package org.csp.edge.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One northbound event, encoded once. A redelivery sends these same bytes, so the {@code eventId} and every
 * count stay the same and the DSP can drop repeats.
 */
public record UpstreamEvent(String eventId, String type, String topic, int count, Buffer payload) {

  public JsonObject toSpillJson() {
    return new JsonObject().put("topic", topic).put("event", new JsonObject(payload));
  }

  public static UpstreamEvent fromSpillJson(JsonObject json) {
    JsonObject event = json.getJsonObject("event");
    return new UpstreamEvent(event.getString("eventId"), event.getString("type"), json.getString("topic"),
        event.getInteger("count"), event.toBuffer());
  }
}
