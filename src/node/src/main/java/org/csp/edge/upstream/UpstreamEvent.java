package org.csp.edge.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One northbound event, encoded once. A redelivery sends these same bytes, so the {@code eventId} and every
 * count stay the same and the DSP can drop repeats. {@code afterDelivery} runs once the broker's PUBACK has come:
 * it is how the hub state that keeps the event until then learns that it may forget it. {@code alertCode} is the
 * code the event is about (null for the node's own events: heartbeats): it chooses the event's recipient, and so
 * its place in the upstream order ({@link FairShare}).
 */
public record UpstreamEvent(String eventId, String type, String alertCode, String topic, int count, Buffer payload,
    Runnable afterDelivery) {
  private static final Runnable NOTHING = () -> {};

  /** An event about no alert code. */
  public UpstreamEvent(String eventId, String type, String topic, int count, Buffer payload) {
    this(eventId, type, null, topic, count, payload, NOTHING);
  }

  public UpstreamEvent(String eventId, String type, String alertCode, String topic, int count, Buffer payload) {
    this(eventId, type, alertCode, topic, count, payload, NOTHING);
  }

  public UpstreamEvent afterDelivery(Runnable then) {
    return new UpstreamEvent(eventId, type, alertCode, topic, count, payload, then);
  }

  public JsonObject toSpillJson() {
    return new JsonObject().put("topic", topic).put("event", new JsonObject(payload));
  }

  /** The event's code comes back from its own {@code alertCode} field, which every event about a code carries. */
  public static UpstreamEvent fromSpillJson(JsonObject json) {
    JsonObject event = json.getJsonObject("event");
    return new UpstreamEvent(event.getString("eventId"), event.getString("type"), event.getString("alertCode"),
        json.getString("topic"), event.getInteger("count"), event.toBuffer());
  }
}
