package org.csp.edge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The southbound contract: what is taken, what is refused, and why (src/docs/wire-format.md). */
class AlertParserTest {
  private static final String HUB = "00-1B-C5-0C-00-00-00-01";
  private final AlertParser parser = new AlertParser(4096, 64);

  private static JsonObject good() {
    return new JsonObject().put("hubId", HUB).put("deviceId", "00-1b-c5-0c-00-00-00-02").put("deviceType", "gpf")
        .put("alertCode", "8f3e").put("originatorCounter", 42).put("raisedAt", "2026-11-23T10:15:30Z")
        .put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", "GPF-2").put("firmware", "1.0.3"))
        .put("payload", "AAEC").put("somethingNew", new JsonObject().put("x", 1));
  }

  private ParsedMessage parse(Object json, String topicHub) {
    return parser.parseJson(json.toString().getBytes(StandardCharsets.UTF_8), topicHub);
  }

  @Test
  void aGoodAlertIsTakenAndNormalised() {
    ParsedMessage m = parse(good(), HUB);
    assertEquals(List.of(), m.rejections());
    Alert a = m.alerts().get(0);
    assertEquals("00-1B-C5-0C-00-00-00-02", a.deviceId(), "upper case out");
    assertEquals("8F3E", a.alertCode());
    assertEquals("GPF", a.deviceType());
    assertEquals(42, a.originatorCounter());
    assertEquals(new Dmc("Acme", "GPF-2", "1.0.3"), a.dmc());
    assertEquals(1_795_428_930_000L, a.raisedAtMillis());
  }

  @Test
  void theFullUnsigned64BitCounterRangeIsTakenAndOneMoreIsRefused() {
    ParsedMessage max = parse(good().put("originatorCounter", new java.math.BigInteger("18446744073709551615")), null);
    assertEquals("18446744073709551615", Long.toUnsignedString(max.alerts().get(0).originatorCounter()));
    ParsedMessage over = parse(good().put("originatorCounter", new java.math.BigInteger("18446744073709551616")), null);
    assertEquals(RejectReason.BAD_ORIGINATOR_COUNTER, over.rejections().get(0).reason());
  }

  @ParameterizedTest(name = "{0} = {1} is refused as {2}")
  @CsvSource(delimiter = '|', value = {
      "hubId|\"00-1B-C5-0C-00-00-00\"|BAD_HUB_ID",
      "hubId|\"00:1B:C5:0C:00:00:00:01\"|BAD_HUB_ID",
      "hubId|12|BAD_HUB_ID",
      "deviceId|\"zz-1B-C5-0C-00-00-00-02\"|BAD_DEVICE_ID",
      "deviceType|\"TOASTER\"|BAD_DEVICE_TYPE",
      "alertCode|\"8F3\"|BAD_ALERT_CODE",
      "alertCode|\"8G3E\"|BAD_ALERT_CODE",
      "alertCode|8014|BAD_ALERT_CODE",
      "originatorCounter|\"42\"|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|4.2|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|42.0|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|-1|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|null|BAD_ORIGINATOR_COUNTER",
      "raisedAt|\"yesterday\"|BAD_RAISED_AT",
      "raisedAt|\"2026-11-23\"|BAD_RAISED_AT",
      "dmc|\"Acme\"|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\"}|BAD_DMC",
      "payload|\"not base64!\"|BAD_PAYLOAD",
      "payload|7|BAD_PAYLOAD",
  })
  void aBadFieldRefusesTheAlertWithItsReason(String field, String rawValue, RejectReason reason) {
    String json = good().put(field, "__RAW__").encode().replace("\"__RAW__\"", rawValue);
    ParsedMessage m = parser.parseJson(json.getBytes(StandardCharsets.UTF_8), null);
    assertEquals(0, m.alerts().size());
    assertEquals(reason, m.rejections().get(0).reason());
    assertTrue(m.rejections().get(0).toJson().getString("detail").length() > 10, "a reason a person can act on");
  }

  @Test
  void anOffsetTimestampIsAnInstantToo() {
    assertEquals(1, parse(good().put("raisedAt", "2026-11-23T10:15:30+01:00"), null).alerts().size());
  }

  @Test
  void eachMissingRequiredFieldIsNamed() {
    for (String field : List.of("hubId", "deviceId", "alertCode", "originatorCounter", "raisedAt")) {
      JsonObject alert = good();
      alert.remove(field);
      Rejection r = parse(alert, null).rejections().get(0);
      assertEquals(RejectReason.MISSING_FIELD, r.reason());
      assertTrue(r.detail().contains(field));
    }
    JsonObject minimal = good();
    minimal.remove("deviceType");
    minimal.remove("dmc");
    minimal.remove("payload");
    assertEquals(1, parse(minimal, null).alerts().size(), "deviceType, dmc and payload are optional");
  }

  @Test
  void oneBadElementOfABatchIsRefusedAloneAndTheGoodOnesAreTaken() {
    JsonArray batch = new JsonArray().add(good()).add(good().put("alertCode", "XYZ")).add("not an object")
        .add(good().put("originatorCounter", 43));
    ParsedMessage m = parse(batch, null);
    assertEquals(2, m.alerts().size());
    assertEquals(2, m.rejections().size());
    assertEquals(1, m.rejections().get(0).index());
    assertEquals(RejectReason.BAD_ALERT_CODE, m.rejections().get(0).reason());
    assertEquals(2, m.rejections().get(1).index());
    assertEquals(RejectReason.NOT_AN_OBJECT, m.rejections().get(1).reason());
  }

  @Test
  void brokenJsonIsRefusedWholeAndCountedOnce() {
    for (String broken : List.of("[" + good().encode() + ",", "{\"hubId\":", "", "{} {}", "[" + good().encode() + "] x")) {
      ParsedMessage m = parser.parseJson(broken.getBytes(StandardCharsets.UTF_8), null);
      assertEquals(0, m.alerts().size(), broken);
      assertEquals(1, m.rejections().size(), broken);
      assertEquals(RejectReason.MALFORMED_JSON, m.rejections().get(0).reason());
    }
  }

  @Test
  void aHubInTheTopicMustAgreeWithTheBody() {
    ParsedMessage m = parse(new JsonArray().add(good()).add(good().put("hubId", "00-1B-C5-0C-00-00-00-09")), HUB);
    assertEquals(1, m.alerts().size());
    assertEquals(RejectReason.HUB_MISMATCH, m.rejections().get(0).reason());
  }

  @Test
  void limitsRefuseTheAlertOrTheWholeMessage() {
    ParsedMessage big = parse(good().put("payload", "A".repeat(68)), null);
    assertEquals(RejectReason.PAYLOAD_TOO_LARGE, big.rejections().get(0).reason());
    JsonArray huge = new JsonArray();
    for (int i = 0; i < 40; i++) huge.add(good().put("originatorCounter", i));
    ParsedMessage refused = parse(huge, null);
    assertEquals(0, refused.alerts().size());
    assertEquals(List.of(RejectReason.MESSAGE_TOO_LARGE), refused.rejections().stream().map(Rejection::reason).toList());
  }

  @Test
  void ndjsonLinesStandAlone() {
    String body = good().encode() + "\n{broken\n\n" + good().put("originatorCounter", 7).encode() + "\r\n[1]\n";
    ParsedMessage m = parser.parseNdjson(body.getBytes(StandardCharsets.UTF_8));
    assertEquals(2, m.alerts().size());
    assertEquals(List.of(1, 3), m.rejections().stream().map(Rejection::index).toList());
    assertEquals(RejectReason.MALFORMED_JSON, m.rejections().get(0).reason());
    assertEquals(RejectReason.NOT_AN_OBJECT, m.rejections().get(1).reason());
  }

  @Test
  void eui64AcceptsEitherCaseAndNothingElse() {
    assertEquals(HUB, Eui64.normalise(HUB.toLowerCase()));
    assertNull(Eui64.normalise(HUB + "-00"));
    assertNull(Eui64.normalise("00-1B-C5-0C-00-00-00-0G"));
  }
}
