package org.csp.edge.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadInputTest {

  private static final int SMALL_PAYLOAD_LIMIT = 200;
  private static final int SMALL_MESSAGE_LIMIT = 8192;

  private static List<SimMessage> badInput(ScenarioContext context) {
    return new BadInputScenario().generate(context);
  }

  private static List<SimMessage> ofKind(List<SimMessage> messages, String kind) {
    List<SimMessage> found = messages.stream().filter(m -> m.kind().equals(kind)).toList();
    assertFalse(found.isEmpty(), "no message of kind " + kind);
    return found;
  }

  private static JsonObject single(SimMessage m) {
    assertEquals(1, m.alertsSent(), m.toString());
    return new JsonObject(Buffer.buffer(m.payload()));
  }

  @Test
  void everyKindIsSentAndIsBadInTheStatedWay() {
    List<SimMessage> all = badInput(TestContexts.mqtt(12, 0.3));

    for (SimMessage m : ofKind(all, Kinds.MALFORMED_JSON)) {
      assertThrows(DecodeException.class, () -> Json.decodeValue(Buffer.buffer(m.payload())), m.payloadText());
      assertEquals(Map.of(SimMessage.INVALID_CODE, 1), m.byCode());
    }
    for (SimMessage m : ofKind(all, Kinds.MISSING_FIELD)) {
      JsonObject alert = single(m);
      assertTrue(List.of("hubId", "deviceId", "alertCode", "originatorCounter", "raisedAt").stream()
        .anyMatch(f -> !alert.containsKey(f)), alert.encode());
    }
    Set<String> missing = ofKind(all, Kinds.MISSING_FIELD).stream().map(BadInputTest::single)
      .map(a -> List.of("hubId", "deviceId", "alertCode", "originatorCounter", "raisedAt").stream()
        .filter(f -> !a.containsKey(f)).findFirst().orElseThrow())
      .collect(Collectors.toSet());
    assertEquals(Set.of("hubId", "deviceId", "alertCode", "originatorCounter", "raisedAt"), missing);

    checkField(all, Kinds.COUNTER_AS_STRING, "originatorCounter", v -> v instanceof String);
    checkField(all, Kinds.COUNTER_AS_FLOAT, "originatorCounter",
      v -> (v instanceof Double || v instanceof BigDecimal) && new BigDecimal(v.toString()).stripTrailingZeros().scale() > 0);
    checkField(all, Kinds.COUNTER_NEGATIVE, "originatorCounter", v -> v instanceof Number n && n.longValue() < 0);
    checkField(all, Kinds.COUNTER_OVER_U64, "originatorCounter",
      v -> v instanceof BigInteger b && b.compareTo(WireOracle.U64_MAX) > 0);
    checkField(all, Kinds.BAD_HUB_ID, "hubId", v -> !(v instanceof String s) || !WireOracle.EUI64_ANY_CASE.matcher(s).matches());
    checkField(all, Kinds.BAD_DEVICE_ID, "deviceId",
      v -> !(v instanceof String s) || !WireOracle.EUI64_ANY_CASE.matcher(s).matches());
    checkField(all, Kinds.BAD_ALERT_CODE, "alertCode",
      v -> !(v instanceof String s) || !WireOracle.ALERT_CODE_ANY_CASE.matcher(s).matches());
    checkField(all, Kinds.BAD_RAISED_AT, "raisedAt", v -> !(v instanceof String s) || !parsesAsInstant(s));
    checkField(all, Kinds.BAD_DMC, "dmc", v -> !(v instanceof JsonObject));
    for (SimMessage m : ofKind(all, Kinds.BAD_ALERT_CODE)) {
      assertEquals(Map.of(SimMessage.INVALID_CODE, 1), m.byCode(), "an unreadable code is counted under 'invalid'");
    }

    for (SimMessage m : ofKind(all, Kinds.HUB_MISMATCH)) {
      JsonObject alert = single(m);
      assertTrue(m.hubTopic() != null && !m.hubTopic().equals(alert.getString("hubId")), m.toString());
      assertTrue(new WireOracle(TestContexts.mqtt(1, 1)).invalidReason(alert, null) == null, "otherwise valid");
    }
    for (SimMessage m : ofKind(all, Kinds.BATCH_HUB_MISMATCH)) {
      JsonArray batch = new JsonArray(Buffer.buffer(m.payload()));
      long strangers = batch.stream().map(o -> ((JsonObject) o).getString("hubId")).filter(h -> !h.equals(m.hubTopic())).count();
      assertEquals(1, strangers);
      assertEquals(1, m.badAlerts());
      assertEquals(batch.size() - 1, m.validAlerts());
    }
    for (SimMessage m : ofKind(all, Kinds.BATCH_ONE_BAD)) {
      JsonArray batch = new JsonArray(Buffer.buffer(m.payload()));
      WireOracle oracle = new WireOracle(TestContexts.mqtt(1, 1));
      long bad = batch.stream().filter(o -> oracle.invalidReason(o, null) != null).count();
      assertEquals(1, bad);
      assertEquals(batch.size(), m.alertsSent());
      assertEquals(batch.size() - 1, m.validAlerts());
    }
    for (SimMessage m : ofKind(all, Kinds.NOT_OBJECT_IN_ARRAY)) {
      JsonArray batch = new JsonArray(Buffer.buffer(m.payload()));
      long notObjects = batch.stream().filter(o -> !(o instanceof JsonObject)).count();
      assertEquals(notObjects, m.badAlerts());
      assertEquals(batch.size(), m.alertsSent(), "every element counts, objects or not");
    }
    for (SimMessage m : ofKind(all, Kinds.VALID_EDGE)) {
      assertEquals(m.alertsSent(), m.validAlerts(), "edge inputs are valid");
    }
    assertTrue(ofKind(all, Kinds.VALID_EDGE).stream().anyMatch(m -> m.payloadText().contains(":18446744073709551615,")),
      "a counter of exactly 2^64-1 is sent");
  }

  @Test
  void oversizedKindsExceedTheConfiguredLimitsAndEdgesMeetThem() {
    ScenarioContext context = TestContexts.mqtt(3, 0.3).withLimits(SMALL_PAYLOAD_LIMIT, SMALL_MESSAGE_LIMIT);
    List<SimMessage> all = badInput(context);
    for (SimMessage m : ofKind(all, Kinds.OVERSIZED_PAYLOAD)) {
      assertTrue(single(m).getString("payload").length() > SMALL_PAYLOAD_LIMIT);
      assertTrue(m.payload().length < SMALL_MESSAGE_LIMIT, "the message itself stays under its limit");
    }
    for (SimMessage m : ofKind(all, Kinds.OVERSIZED_MESSAGE)) {
      assertTrue(m.payload().length > SMALL_MESSAGE_LIMIT);
      assertEquals(1, m.alertsSent(), "refused whole, counted once");
      assertEquals(Map.of(SimMessage.INVALID_CODE, 1), m.byCode());
      assertTrue(new JsonArray(Buffer.buffer(m.payload())).size() > 1, "whatever it held");
    }
    assertTrue(ofKind(all, Kinds.VALID_EDGE).stream()
      .map(m -> new JsonObject(Buffer.buffer(m.payload())).getString("payload"))
      .anyMatch(p -> p != null && p.length() == SMALL_PAYLOAD_LIMIT), "a payload exactly at the limit is sent as valid");
    for (SimMessage m : all) {
      if (!m.kind().equals(Kinds.OVERSIZED_MESSAGE)) {
        assertTrue(m.payload().length <= SMALL_MESSAGE_LIMIT, "only oversized-message is over the limit: " + m);
      }
    }

    SimMessage defaultOversized = ofKind(badInput(TestContexts.mqtt(3, 0.01)), Kinds.OVERSIZED_MESSAGE).get(0);
    assertTrue(defaultOversized.payload().length > ScenarioContext.DEFAULT_MAX_MESSAGE_BYTES);
  }

  @Test
  void httpLeavesOutWhatOnlyATopicCanSayAndNdjsonAddsLineKinds() {
    ScenarioContext http = TestContexts.http(12, 0.1);
    Set<String> httpKinds = badInput(http).stream().map(SimMessage::kind).collect(Collectors.toSet());
    assertFalse(httpKinds.contains(Kinds.HUB_MISMATCH));
    assertFalse(httpKinds.contains(Kinds.BATCH_HUB_MISMATCH));
    assertFalse(httpKinds.contains(Kinds.NDJSON_BAD_LINE));
    assertTrue(BadInputScenario.skippedKinds(http).stream().anyMatch(k -> k.startsWith(Kinds.HUB_MISMATCH + "/")));

    ScenarioContext mqtt = TestContexts.mqtt(12, 0.1);
    Set<String> mqttKinds = badInput(mqtt).stream().map(SimMessage::kind).collect(Collectors.toSet());
    assertTrue(mqttKinds.contains(Kinds.HUB_MISMATCH));
    assertFalse(mqttKinds.contains(Kinds.NDJSON_BAD_LINE));
    assertTrue(badInput(mqtt).stream().allMatch(m -> m.format() == SimMessage.Format.JSON), "MQTT carries JSON only");

    List<SimMessage> ndjson = badInput(TestContexts.ndjson(12, 0.1));
    for (SimMessage m : ofKind(ndjson, Kinds.NDJSON_BAD_LINE)) {
      assertEquals(SimMessage.Format.NDJSON, m.format());
      String[] lines = m.payloadText().split("\n");
      long unparsable = java.util.Arrays.stream(lines).filter(l -> !l.isBlank()).filter(l -> {
        try {
          Json.decodeValue(l);
          return false;
        } catch (DecodeException e) {
          return true;
        }
      }).count();
      assertEquals(1, unparsable);
      assertEquals(lines.length, m.alertsSent());
    }
    assertTrue(ndjson.stream().anyMatch(m -> m.format() == SimMessage.Format.NDJSON && m.payloadText().contains("\n\n")),
      "blank lines appear, and are not units");
  }

  private static void checkField(List<SimMessage> all, String kind, String field, Predicate<Object> bad) {
    for (SimMessage m : ofKind(all, kind)) {
      JsonObject alert = single(m);
      assertTrue(alert.containsKey(field), kind + ": " + alert.encode());
      assertTrue(bad.test(alert.getValue(field)), kind + ": " + alert.encode());
      assertEquals(1, m.badAlerts());
      JsonObject repaired = alert.copy();
      repaired.remove(field);
      if (!List.of("hubId", "deviceId", "alertCode", "originatorCounter", "raisedAt").contains(field)) {
        assertTrue(new WireOracle(TestContexts.mqtt(1, 1)).invalidReason(repaired, null) == null,
          kind + ": bad only in " + field);
      }
    }
  }

  private static boolean parsesAsInstant(String s) {
    try {
      Instant.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
