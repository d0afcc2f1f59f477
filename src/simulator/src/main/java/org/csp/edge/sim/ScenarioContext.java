package org.csp.edge.sim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Everything a scenario's output depends on. Two contexts that are equal give byte-identical messages,
 * which is what makes a run reproducible (the start instant is part of it because raisedAt is "now").
 *
 * @param idSpace first octet of every EUI-64 the scenario hands out, so scenarios mixed in one run never share an id
 */
public record ScenarioContext(long seed, double scale, TransportKind transport, boolean ndjsonBatches,
                              int maxPayloadBase64, int maxMessageBytes, Instant start, int idSpace) {

  public static final int DEFAULT_MAX_PAYLOAD_BASE64 = 16384;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1048576;

  public ScenarioContext {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(start, "start");
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be a positive number, got " + scale);
    }
    if (maxPayloadBase64 < 8 || maxMessageBytes < 1024) {
      throw new IllegalArgumentException("limits too small: payload " + maxPayloadBase64 + ", message " + maxMessageBytes);
    }
  }

  /** Defaults of the wire format, raisedAt starting now. */
  public static ScenarioContext of(long seed, double scale, TransportKind transport) {
    return new ScenarioContext(seed, scale, transport, false, DEFAULT_MAX_PAYLOAD_BASE64, DEFAULT_MAX_MESSAGE_BYTES,
      Instant.now().truncatedTo(ChronoUnit.MILLIS), 0);
  }

  public static ScenarioContext of(SimOptions options, Instant start) {
    return new ScenarioContext(options.seed(), options.scale(), options.transport(), options.ndjson(),
      options.maxPayloadBase64(), options.maxMessageBytes(), start, 0);
  }

  public ScenarioContext withStart(Instant newStart) {
    return new ScenarioContext(seed, scale, transport, ndjsonBatches, maxPayloadBase64, maxMessageBytes, newStart, idSpace);
  }

  public ScenarioContext withNdjsonBatches(boolean ndjson) {
    return new ScenarioContext(seed, scale, transport, ndjson, maxPayloadBase64, maxMessageBytes, start, idSpace);
  }

  public ScenarioContext withLimits(int payloadBase64, int messageBytes) {
    return new ScenarioContext(seed, scale, transport, ndjsonBatches, payloadBase64, messageBytes, start, idSpace);
  }

  /** A context for the index-th part of a composite scenario: its own seed and its own id space. */
  public ScenarioContext part(int index) {
    long partSeed = (seed + 0x9E3779B97F4A7C15L * (index + 1)) ^ 0x5DEECE66DL;
    return new ScenarioContext(partSeed, scale, transport, ndjsonBatches, maxPayloadBase64, maxMessageBytes, start,
      (idSpace + index + 1) & 0xFF);
  }

  /** A size of the scenario multiplied by the scale, never below 1 so a tiny scale still exercises everything. */
  public int scaled(int base) {
    return (int) Math.max(1, Math.round(base * scale));
  }

  public boolean isMqtt() {
    return transport == TransportKind.MQTT;
  }

  /** NDJSON only exists over HTTP. */
  public SimMessage.Format batchFormat() {
    return transport == TransportKind.HTTP && ndjsonBatches ? SimMessage.Format.NDJSON : SimMessage.Format.JSON;
  }
}
