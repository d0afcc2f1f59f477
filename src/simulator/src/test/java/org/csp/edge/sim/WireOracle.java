package org.csp.edge.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A reference reading of the wire format, written from the contract independently of the scenarios:
 * what a correct node accepts, counts as duplicate, and rejects. Tests hold every simulated message's
 * declared accounting against it.
 */
final class WireOracle {

  static final Pattern EUI64_ANY_CASE = Pattern.compile("[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}");
  static final Pattern ALERT_CODE_ANY_CASE = Pattern.compile("[0-9A-Fa-f]{4}");
  static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  static final Set<String> DEVICE_TYPES = Set.of("ESME", "GSME", "GPF", "CHF", "PPMID", "HCALCS", "IHD");

  /** What the node does with one message. */
  record Verdict(int accepted, int duplicates, int rejected, List<String> reasons) {
    int units() {
      return accepted + duplicates + rejected;
    }
  }

  private final TransportKind transport;
  private final int maxPayloadBase64;
  private final int maxMessageBytes;
  private final Set<String> seenHeaders = new HashSet<>();

  WireOracle(ScenarioContext context) {
    this.transport = context.transport();
    this.maxPayloadBase64 = context.maxPayloadBase64();
    this.maxMessageBytes = context.maxMessageBytes();
  }

  Verdict judge(SimMessage message) {
    List<String> reasons = new ArrayList<>();
    if (message.payload().length > maxMessageBytes) {
      return new Verdict(0, 0, 1, List.of("message over " + maxMessageBytes + " bytes"));
    }
    List<Object> elements = new ArrayList<>();
    String text = new String(message.payload(), StandardCharsets.UTF_8);
    if (message.format() == SimMessage.Format.NDJSON) {
      int accepted = 0;
      int duplicates = 0;
      int rejected = 0;
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        Object value;
        try {
          value = Json.decodeValue(line);
        } catch (DecodeException e) {
          rejected++;
          reasons.add("line not JSON");
          continue;
        }
        switch (element(value, null, reasons)) {
          case 0 -> accepted++;
          case 1 -> duplicates++;
          default -> rejected++;
        }
      }
      return new Verdict(accepted, duplicates, rejected, reasons);
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(Buffer.buffer(message.payload()));
    } catch (DecodeException e) {
      return new Verdict(0, 0, 1, List.of("not JSON"));
    }
    if (parsed instanceof JsonArray array) {
      array.forEach(elements::add);
    } else {
      elements.add(parsed);
    }
    String topicHub = transport == TransportKind.MQTT ? message.hubTopic() : null;
    int accepted = 0;
    int duplicates = 0;
    int rejected = 0;
    for (Object value : elements) {
      switch (element(value, topicHub, reasons)) {
        case 0 -> accepted++;
        case 1 -> duplicates++;
        default -> rejected++;
      }
    }
    return new Verdict(accepted, duplicates, rejected, reasons);
  }

  /** 0 accepted, 1 duplicate, 2 rejected. */
  private int element(Object value, String topicHub, List<String> reasons) {
    String reason = invalidReason(value, topicHub);
    if (reason != null) {
      reasons.add(reason);
      return 2;
    }
    JsonObject alert = (JsonObject) value;
    String header = alert.getString("deviceId").toUpperCase() + "/" + alert.getValue("originatorCounter");
    return seenHeaders.add(header) ? 0 : 1;
  }

  /** Why an element is bad, or null when it is a valid alert. */
  String invalidReason(Object value, String topicHub) {
    if (!(value instanceof JsonObject alert)) {
      return "not an object";
    }
    if (!(alert.getValue("hubId") instanceof String hub) || !EUI64_ANY_CASE.matcher(hub).matches()) {
      return "bad hubId";
    }
    if (topicHub != null && !topicHub.equalsIgnoreCase(hub)) {
      return "hubId disagrees with topic";
    }
    if (!(alert.getValue("deviceId") instanceof String device) || !EUI64_ANY_CASE.matcher(device).matches()) {
      return "bad deviceId";
    }
    if (!(alert.getValue("alertCode") instanceof String code) || !ALERT_CODE_ANY_CASE.matcher(code).matches()) {
      return "bad alertCode";
    }
    Object counter = alert.getValue("originatorCounter");
    if (!(counter instanceof Integer || counter instanceof Long || counter instanceof BigInteger)) {
      return "originatorCounter not an integer";
    }
    BigInteger c = new BigInteger(counter.toString());
    if (c.signum() < 0 || c.compareTo(U64_MAX) > 0) {
      return "originatorCounter out of range";
    }
    if (!(alert.getValue("raisedAt") instanceof String raisedAt)) {
      return "raisedAt not a string";
    }
    try {
      Instant.parse(raisedAt);
    } catch (DateTimeParseException e) {
      return "raisedAt not an instant";
    }
    if (alert.containsKey("deviceType") && !DEVICE_TYPES.contains(String.valueOf(alert.getValue("deviceType")))) {
      return "bad deviceType";
    }
    if (alert.containsKey("dmc") && !(alert.getValue("dmc") instanceof JsonObject)) {
      return "dmc not an object";
    }
    if (alert.containsKey("payload")) {
      if (!(alert.getValue("payload") instanceof String payload)) {
        return "payload not a string";
      }
      if (payload.length() > maxPayloadBase64) {
        return "payload over " + maxPayloadBase64;
      }
    }
    return null;
  }
}
