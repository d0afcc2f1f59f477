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
  /** The most bytes an MQTT string (a topic name) can hold. */
  private static final int MAX_TOPIC_BYTES = 65_535;

  /**
   * Whether a broker takes {@code topic} as a PUBLISH topic name (MQTT 3.1.1, 4.7): not empty, no wildcard, no NUL,
   * at most 65,535 bytes. The node's own topics always are; an edited spill or dead-letter file may hold another.
   */
  public static boolean isTopicName(String topic) {
    return topic != null && !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0
        && topic.indexOf('\0') < 0 && topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_TOPIC_BYTES;
  }

  public static UpstreamEvent fromSpillJson(JsonObject json) {
    JsonObject event = json.getJsonObject("event");
    return new UpstreamEvent(event.getString("eventId"), event.getString("type"), event.getString("alertCode"),
        json.getString("topic"), event.getInteger("count"), event.toBuffer());
  }
}
