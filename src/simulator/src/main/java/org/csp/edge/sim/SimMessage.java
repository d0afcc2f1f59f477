package org.csp.edge.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One southbound message the simulator sends, with the accounting the node is expected to produce
 * for it. Tests compare the node's counters with these numbers, so the record refuses to exist with
 * numbers that do not add up.
 *
 * @param hubTopic       the hub of the topic {@code alerts/{hubId}}, or null for a head-end batch on {@code alerts}
 *                       (HTTP has no topic and ignores it)
 * @param payload        the exact bytes sent (MQTT payload or HTTP body)
 * @param alertsSent     accounting units: each element of a valid JSON message (object or not), each non-empty
 *                       NDJSON line, or 1 for a message the node must refuse whole (not JSON, over the size limit)
 * @param kind           what the message exercises ("valid", "duplicate-resend", "malformed-json", ...)
 * @param byCode         alert code to number of units; units whose code cannot be read (or which are refused
 *                       whole) are under {@link #INVALID_CODE}
 * @param validAlerts    units the node must accept (each ends up in the {@code count} of a northbound event)
 * @param duplicateAlerts units the node must count as duplicate headers
 * @param format         how the body is encoded, which decides the HTTP content type
 */
public record SimMessage(String hubTopic, byte[] payload, int alertsSent, String kind,
                         Map<String, Integer> byCode, int validAlerts, int duplicateAlerts, Format format) {

  /** The byCode key for units whose alert code is unreadable or that the node refuses whole. */
  public static final String INVALID_CODE = "invalid";
  public static final String BATCH_TOPIC = "alerts";

  /** Body encodings. A batch over HTTP may be a JSON array or NDJSON; MQTT only carries JSON. */
  public enum Format {
    JSON("application/json"), NDJSON("application/x-ndjson");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }
  }

  public SimMessage {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(format, "format");
    byCode = Map.copyOf(byCode);
    int codeUnits = byCode.values().stream().mapToInt(Integer::intValue).sum();
    if (alertsSent < 1 || codeUnits != alertsSent) {
      throw new IllegalArgumentException("kind " + kind + ": byCode adds up to " + codeUnits + ", alertsSent is " + alertsSent);
    }
    if (validAlerts < 0 || duplicateAlerts < 0 || validAlerts + duplicateAlerts > alertsSent) {
      throw new IllegalArgumentException("kind " + kind + ": valid " + validAlerts + " + duplicates " + duplicateAlerts
        + " exceed alertsSent " + alertsSent);
    }
  }

  /** A message the node must refuse whole (not JSON, or over the size limit): one unit, code unreadable. */
  public static SimMessage refusedWhole(String hubTopic, String kind, byte[] payload, Format format) {
    return new SimMessage(hubTopic, payload, 1, kind, Map.of(INVALID_CODE, 1), 0, 0, format);
  }

  /** Units the node must reject (count as rejected, with a reason). */
  public int badAlerts() {
    return alertsSent - validAlerts - duplicateAlerts;
  }

  /** The MQTT topic: {@code alerts/{hubId}} for a single-hub message, {@code alerts} for a head-end batch. */
  public String topic() {
    return hubTopic == null ? BATCH_TOPIC : BATCH_TOPIC + "/" + hubTopic;
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** Content equality (the default record equality compares the payload array by reference). */
  @Override
  public boolean equals(Object o) {
    return o instanceof SimMessage m
      && alertsSent == m.alertsSent && validAlerts == m.validAlerts && duplicateAlerts == m.duplicateAlerts
      && Objects.equals(hubTopic, m.hubTopic) && Arrays.equals(payload, m.payload) && kind.equals(m.kind)
      && byCode.equals(m.byCode) && format == m.format;
  }

  @Override
  public int hashCode() {
    return Objects.hash(hubTopic, Arrays.hashCode(payload), alertsSent, kind, byCode, validAlerts, duplicateAlerts, format);
  }

  @Override
  public String toString() {
    return "SimMessage[" + kind + " on " + topic() + ", " + payload.length + " bytes, " + alertsSent + " units ("
      + validAlerts + " valid, " + duplicateAlerts + " duplicate, " + badAlerts() + " bad), byCode=" + byCode + "]";
  }
}
