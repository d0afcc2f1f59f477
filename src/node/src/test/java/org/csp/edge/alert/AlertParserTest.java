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

  /** "Acme " and "Acme" are one maker: a model's fields are taken without the spaces around them. */
  @Test
  void aModelsFieldsAreTakenWithoutSurroundingSpaces() {
    JsonObject spaced = good().put("dmc", new JsonObject().put("manufacturer", "Acme ").put("model", "\tGPF-2")
        .put("firmware", " 1.0.3\n"));
    assertEquals(new Dmc("Acme", "GPF-2", "1.0.3"), parse(spaced, HUB).alerts().get(0).dmc());
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
      // An instant Instant.parse reads but whose milliseconds overflow a long; and years outside 0000..9999.
      "raisedAt|\"+300000000-01-01T00:00:00Z\"|BAD_RAISED_AT",
      "raisedAt|\"-300000000-01-01T00:00:00Z\"|BAD_RAISED_AT",
      "raisedAt|\"+1000000000-12-31T23:59:59.999999999Z\"|BAD_RAISED_AT",
      "raisedAt|\"+10000-01-01T00:00:00Z\"|BAD_RAISED_AT",
      "raisedAt|\"0000-01-01T00:30:00+01:00\"|BAD_RAISED_AT",
      "raisedAt|1795428930000|BAD_RAISED_AT",
      "raisedAt|null|BAD_RAISED_AT",
      "raisedAt|{\"at\":\"2026-11-23T10:15:30Z\"}|BAD_RAISED_AT",
      "originatorCounter|1e400|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|123456789012345678901234567890123456789012345678901234567890|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|-18446744073709551615|BAD_ORIGINATOR_COUNTER",
      "originatorCounter|[42]|BAD_ORIGINATOR_COUNTER",
      "hubId|null|BAD_HUB_ID",
      "hubId|\"00-1B-C5-0C-00-00-00-01 \"|BAD_HUB_ID",
      "hubId|\"00-1B-C5-0C-00-00-00-０1\"|BAD_HUB_ID",
      "deviceId|[\"00-1B-C5-0C-00-00-00-02\"]|BAD_DEVICE_ID",
      "deviceType|null|BAD_DEVICE_TYPE",
      "deviceType|\"ESME\\u0000\"|BAD_DEVICE_TYPE",
      "alertCode|\"８F3E\"|BAD_ALERT_CODE",
      "alertCode|\"8F3E8F3E\"|BAD_ALERT_CODE",
      "alertCode|null|BAD_ALERT_CODE",
      "dmc|null|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\",\"model\":\"GPF-2\",\"firmware\":7}|BAD_DMC",
      "payload|null|BAD_PAYLOAD",
      "dmc|\"Acme\"|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\"}|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\",\"model\":\"X\\r\\nBcc: a@b\",\"firmware\":\"1\"}|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\\u202e\",\"model\":\"X\",\"firmware\":\"1\"}|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\",\"model\":\"X\",\"firmware\":\"1\\u20282\"}|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\\ud800\",\"model\":\"X\",\"firmware\":\"1\"}|BAD_DMC",
      "dmc|{\"manufacturer\":\"Acme\",\"model\":\"\\udc00X\",\"firmware\":\"1\"}|BAD_DMC",
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
  void aMessageRefusedUnreadStandsForTheAlertsItsArrayDelimits() {
    String one = good().encode();
    // As the reading counts them: each element once, an empty array none, a message that is not JSON or holds more
    // than the limit once (refused whole for what it is).
    assertEquals(1, alertsIn(one));
    assertEquals(3, alertsIn("[" + one + "," + one + " , " + one + "]"));
    assertEquals(2, alertsIn("\uFEFF [ {\"a\": [1, {\"b\": \"],\"}]}, \"x\" ]"), "nesting and strings do not split elements");
    assertEquals(0, alertsIn("[ ]"));
    assertEquals(1, alertsIn("[" + one + "," + one + ", {broken"), "broken: not JSON");
    assertEquals(1, alertsIn("[" + one + "," + one + "] trailing"), "trailing content: not JSON");
    assertEquals(1, alertsIn("[" + one + "," + one), "unterminated: not JSON");
    assertEquals(1, alertsIn("not json"));
    assertEquals(MAX_ALERTS, alertsIn("[" + "0,".repeat(MAX_ALERTS - 1) + "0]"));
    assertEquals(1, alertsIn("[" + "0,".repeat(MAX_ALERTS) + "0]"), "over the batch limit: once");
    for (String m : new String[] {"[ ]", "[" + one + ", {broken", "[" + "0,".repeat(MAX_ALERTS) + "0]", "[0,1]"}) {
      byte[] b = m.getBytes(StandardCharsets.UTF_8);
      assertEquals(new AlertParser(1 << 20, 64, MAX_ALERTS).parseJson(b, null).count(), alertsIn(m),
          "counted as its reading counts it: " + m.substring(0, Math.min(8, m.length())));
    }
  }

  private static final int MAX_ALERTS = 50;

  private static int alertsIn(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    return AlertParser.alertsIn(bytes, 0, bytes.length, MAX_ALERTS);
  }

  @Test
  void halfASurrogatePairInUtf8BytesIsRefusedAndAWholePairIsText() {
    byte[] cesu = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // U+D800 encoded alone: not UTF-8, not a Unicode string
    String json = good().put("dmc", new JsonObject().put("manufacturer", "Acme__").put("model", "X").put("firmware", "1"))
        .encode();
    int at = json.indexOf("__");
    byte[] head = json.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] tail = json.substring(at + 2).getBytes(StandardCharsets.UTF_8);
    byte[] raw = new byte[head.length + cesu.length + tail.length];
    System.arraycopy(head, 0, raw, 0, head.length);
    System.arraycopy(cesu, 0, raw, head.length, cesu.length);
    System.arraycopy(tail, 0, raw, head.length + cesu.length, tail.length);
    ParsedMessage m = parser.parseJson(raw, null);
    assertEquals(0, m.alerts().size());
    assertEquals(RejectReason.BAD_DMC, m.rejections().get(0).reason());
    JsonObject emoji = good().put("dmc", new JsonObject().put("manufacturer", "Acme \ud83d\ude00").put("model", "X")
        .put("firmware", "1"));
    assertEquals(1, parse(emoji, null).alerts().size(), "a whole pair is a character like any other");
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
  void aValueThatOverflowsRefusesItsAlertAloneAndTheBatchGoesOn() {
    JsonArray batch = new JsonArray().add(good()).add(good().put("raisedAt", "+300000000-01-01T00:00:00Z"))
        .add(good().put("originatorCounter", 43));
    ParsedMessage m = parse(batch, null);
    assertEquals(2, m.alerts().size());
    assertEquals(List.of(new Rejection(1, RejectReason.BAD_RAISED_AT, "got '+300000000-01-01T00:00:00Z'")), m.rejections());
  }

  @Test
  void theRaisedAtWindowIsYearsZeroToNineThousandNineHundredNinetyNine() {
    assertEquals(1, parse(good().put("raisedAt", "0000-01-01T00:00:00Z"), null).alerts().size());
    assertEquals(1, parse(good().put("raisedAt", "9999-12-31T23:59:59.999999999Z"), null).alerts().size());
    assertEquals(1, parse(good().put("raisedAt", "1970-01-01T00:00:00Z"), null).alerts().size(), "a clock reset is still an alert");
  }

  /** An unknown field nested past the per-element depth, or holding a number past its length, in the middle of three. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"deep object", "deep array", "huge number", "huge decimal"})
  void anUnknownFieldOverTheLimitsRefusesItsElementAloneAndTheOthersAreTaken(String kind) {
    String hostile = switch (kind) {
      case "deep object" -> "{\"x\":".repeat(40) + "1" + "}".repeat(40);
      case "deep array" -> "[".repeat(5000) + "]".repeat(5000);
      case "huge number" -> "9".repeat(5000);
      default -> "0." + "1".repeat(5000) + "e99999999999";
    };
    String batch = "[" + good().encode() + ","
        + good().put("originatorCounter", 43).put("extra", "__RAW__").encode().replace("\"__RAW__\"", hostile) + ","
        + good().put("originatorCounter", 44).encode() + "]";
    AlertParser big = new AlertParser(1 << 20, 64);
    ParsedMessage m = big.parseJson(batch.getBytes(StandardCharsets.UTF_8), null);
    assertEquals(List.of(42L, 44L), m.alerts().stream().map(Alert::originatorCounter).toList());
    assertEquals(1, m.rejections().size());
    assertEquals(1, m.rejections().get(0).index());
    assertEquals(RejectReason.ALERT_TOO_COMPLEX, m.rejections().get(0).reason());

    String ndjson = batch.substring(1, batch.length() - 1).replace("}," + "{\"hubId\"", "}\n{\"hubId\"");
    ParsedMessage lines = big.parseNdjson(ndjson.getBytes(StandardCharsets.UTF_8));
    assertEquals(2, lines.alerts().size(), "NDJSON too");
    assertEquals(RejectReason.ALERT_TOO_COMPLEX, lines.rejections().get(0).reason());
  }

  @Test
  void anUnknownFieldWithinTheLimitsIsIgnoredHoweverItIsShaped() {
    // Escaped quotes and brackets inside strings, every kind of value, a long string: none of it is the alert's.
    String within = "{\"a\":[\"\\u00e9\\\"]\",{\"b\":[[[[null,true,-0.5e-3,\"\\\"]\"]]]]}],\"c\":\"" + "z".repeat(2000) + "\"}";
    String json = good().put("extra", "__RAW__").encode().replace("\"__RAW__\"", within);
    assertEquals(1, parser.parseJson(json.getBytes(StandardCharsets.UTF_8), null).alerts().size(), json);
  }

  /**
   * A field given twice is ambiguous (parsers elsewhere may take the first value where this one would take the last):
   * the alert is refused alone, naming the field, whichever the two values are; an unknown field twice is ignored.
   */
  @ParameterizedTest(name = "{0} twice, the second {1}")
  @CsvSource(delimiter = '|', value = {
      "hubId|\"00-1B-C5-0C-00-00-00-09\"", "hubId|\"00-1B-C5-0C-00-00-00-01\"", "alertCode|\"8014\"",
      "originatorCounter|43", "raisedAt|\"2026-11-23T10:15:31Z\"", "payload|\"AAEC\"",
      "dmc|{\"manufacturer\":\"Acme\",\"model\":\"GPF-2\",\"firmware\":\"1.0.4\"}"})
  void aFieldGivenTwiceRefusesItsAlertAlone(String field, String secondValue) {
    String twice = good().encode().replaceFirst("\\}$", ",\"" + field + "\":" + secondValue + "}");
    String batch = "[" + twice + "," + good().put("originatorCounter", 43).encode() + "]";
    ParsedMessage m = parser.parseJson(batch.getBytes(StandardCharsets.UTF_8), null);
    assertEquals(List.of(new Rejection(0, RejectReason.DUPLICATE_FIELD, field + " appears twice")), m.rejections(), twice);
    assertEquals(List.of(43L), m.alerts().stream().map(Alert::originatorCounter).toList(), "the batch's other alert is taken");
  }

  @Test
  void aDeviceModelFieldGivenTwiceRefusesItsAlertAndAnUnknownFieldTwiceIsIgnored() {
    String dmcTwice = good().encode().replace("\"firmware\":\"1.0.3\"", "\"firmware\":\"1.0.3\",\"model\":\"GPF-3\"");
    assertEquals(List.of(new Rejection(0, RejectReason.BAD_DMC, "model appears twice")),
        parser.parseJson(dmcTwice.getBytes(StandardCharsets.UTF_8), null).rejections(), dmcTwice);
    String unknownTwice = good().encode().replaceFirst("\\}$", ",\"somethingNew\":2}");
    assertEquals(1, parser.parseJson(unknownTwice.getBytes(StandardCharsets.UTF_8), null).alerts().size(), unknownTwice);
  }

  @Test
  void aDeeplyNestedElementThatIsNotAnObjectIsRefusedAlone() {
    String batch = "[" + good().encode() + "," + "[".repeat(100_000) + "]".repeat(100_000) + "," + good().put("originatorCounter", 43).encode() + "]";
    ParsedMessage m = new AlertParser(1 << 20, 64).parseJson(batch.getBytes(StandardCharsets.UTF_8), null);
    assertEquals(2, m.alerts().size());
    assertEquals(RejectReason.NOT_AN_OBJECT, m.rejections().get(0).reason());
  }

  @Test
  void brokenJsonIsRefusedWholeAndCountedOnce() {
    for (String broken : List.of("[" + good().encode() + ",", "{\"hubId\":", "", "{} {}", "[" + good().encode() + "] x",
        "[" + good().encode() + " " + good().encode() + "]", "[," + good().encode() + "]", "[" + good().encode() + ",]",
        "[" + good().encode() + ",{\"a\":tru}]", "[" + good().encode() + ",{\"a\":\"unterminated}]", " \n ", "[[[[",
        "[1:2]", "[\"a\" \"b\"]", "[" + "{\"x\":".repeat(40) + "1" + "}".repeat(39) + "]")) {
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

  /** An alert without a dmc gets its device's from the inventory; one that carries a dmc keeps it; unknown stays absent. */
  @Test
  void anAbsentDmcIsFilledFromTheDeviceModelsAndOnlyThen() {
    Dmc listed = new Dmc("Inventory Co", "E470", "2.1");
    List<String> asked = new java.util.ArrayList<>();
    AlertParser filling = new AlertParser(4096, 64, 100, id -> {
      asked.add(id);
      return id.equals("00-1B-C5-0C-00-00-00-02") ? listed : null;
    });
    JsonObject withoutDmc = good();
    withoutDmc.remove("dmc");
    JsonObject unknownDevice = withoutDmc.copy().put("deviceId", "00-1B-C5-0C-00-00-00-09");
    JsonArray batch = new JsonArray().add(good()).add(withoutDmc).add(unknownDevice);
    ParsedMessage m = filling.parseJson(batch.toString().getBytes(StandardCharsets.UTF_8), null);
    assertEquals(new Dmc("Acme", "GPF-2", "1.0.3"), m.alerts().get(0).dmc(), "a dmc sent is kept");
    assertEquals(listed, m.alerts().get(1).dmc(), "filled from the inventory, the device id normalised first");
    assertNull(m.alerts().get(2).dmc());
    assertEquals(List.of("00-1B-C5-0C-00-00-00-02", "00-1B-C5-0C-00-00-00-09"), asked, "asked only for alerts without a dmc");
  }

  @Test
  void eui64PacksToItsBitsAndBack() {
    assertEquals(0x001BC50C00000002L, Eui64.pack("00-1b-c5-0c-00-00-00-02"));
    assertEquals("00-1B-C5-0C-00-00-00-02", Eui64.text(0x001BC50C00000002L));
    assertEquals("F0-00-00-00-00-00-00-0A", Eui64.text(Eui64.pack("f0-00-00-00-00-00-00-0a")));
    assertEquals(Eui64.NOT_AN_ID, Eui64.pack("00-1B-C5-0C-00-00-00"));
    assertEquals(Eui64.NOT_AN_ID, Eui64.pack("00:1B:C5:0C:00:00:00:02"));
    assertEquals(Eui64.NOT_AN_ID, Eui64.pack("00-1B-C5-0C-00-00-00-0G"));
  }
}
