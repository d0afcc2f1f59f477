package org.csp.edge.sim;

/**
 * What became of one message. {@code confirmed} means the node took it: a PUBACK for QoS 1, the bytes
 * written for QoS 0, a final (non-503) HTTP response. An unconfirmed message may or may not have been
 * counted by the node, so a test cannot expect exact accounting when there are any.
 *
 * @param httpStatus 0 for MQTT
 * @param accepted   units the node said it accepted (HTTP), -1 when unknown
 * @param rejected   units the node said it rejected (HTTP), -1 when unknown
 * @param unavailable units the node said it could not record this time (HTTP "unavailable"), 0 when not said
 * @param retries    times the message was sent again: after a 503 (HTTP), after its connection closed or
 *                   its PUBACK was skipped (MQTT)
 * @param error      why it is unconfirmed, null when confirmed
 */
public record Delivery(boolean confirmed, int httpStatus, int accepted, int rejected, int unavailable, int retries,
                       String error) {

  public static Delivery mqttConfirmed() {
    return mqttConfirmed(0);
  }

  public static Delivery mqttConfirmed(int retries) {
    return new Delivery(true, 0, -1, -1, 0, retries, null);
  }

  public static Delivery http(int status, int accepted, int rejected, int unavailable, int retries) {
    return new Delivery(true, status, accepted, rejected, unavailable, retries, null);
  }

  public static Delivery failed(String error, int retries) {
    return new Delivery(false, 0, -1, -1, 0, retries, error == null ? "unknown error" : error);
  }
}
