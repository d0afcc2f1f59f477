package org.csp.edge.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every way the simulator knows of being a bad input, plus valid inputs at the edge of the format.
 * Each bad alert comes from a fresh device, so its header is never a duplicate of anything: the node's
 * only correct answer is to reject it (or, for the edges, to accept it).
 */
final class BadInputs {

  /** Where an entry can be expressed: topics only exist on MQTT, NDJSON only on HTTP. */
  enum Availability { ANY, MQTT_ONLY, NDJSON_ONLY }

  /** One bad (or edge-valid) input. */
  record Entry(String kind, String variant, Availability availability, Function<BadInputs, SimMessage> make) {

    boolean availableIn(ScenarioContext context) {
      return switch (availability) {
        case ANY -> true;
        case MQTT_ONLY -> context.isMqtt();
        case NDJSON_ONLY -> context.batchFormat() == SimMessage.Format.NDJSON;
      };
    }
  }

  static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
  private static final int HUBS = 5;

  private static final List<Entry> CATALOGUE = List.of(
    // Not JSON at all: refused whole, one unit whatever it held.
    new Entry(Kinds.MALFORMED_JSON, "truncated", Availability.ANY, b -> b.malformed(b.goodText().substring(0, 40))),
    new Entry(Kinds.MALFORMED_JSON, "trailing-comma", Availability.ANY, b -> {
      String text = b.goodText();
      return b.malformed(text.substring(0, text.length() - 1) + ",}");
    }),
    new Entry(Kinds.MALFORMED_JSON, "single-quotes", Availability.ANY, b -> b.malformed(b.goodText().replace('"', '\''))),
    new Entry(Kinds.MALFORMED_JSON, "plain-text", Availability.ANY, b -> b.malformed("ALERT 8F3E FROM " + b.hub())),
    new Entry(Kinds.MALFORMED_JSON, "unterminated-array", Availability.ANY,
      b -> b.malformed("[" + b.goodText() + "," + b.goodText())),

    new Entry(Kinds.BATCH_ONE_BAD, "bad-code-among-4-good", Availability.ANY, BadInputs::batchOneBad),

    new Entry(Kinds.MISSING_FIELD, "hubId", Availability.ANY, b -> b.missing("hubId")),
    new Entry(Kinds.MISSING_FIELD, "deviceId", Availability.ANY, b -> b.missing("deviceId")),
    new Entry(Kinds.MISSING_FIELD, "alertCode", Availability.ANY, b -> b.missing("alertCode")),
    new Entry(Kinds.MISSING_FIELD, "originatorCounter", Availability.ANY, b -> b.missing("originatorCounter")),
    new Entry(Kinds.MISSING_FIELD, "raisedAt", Availability.ANY, b -> b.missing("raisedAt")),

    new Entry(Kinds.COUNTER_AS_STRING, "digits-in-a-string", Availability.ANY,
      b -> b.replaced(Kinds.COUNTER_AS_STRING, "originatorCounter", "123456")),
    new Entry(Kinds.COUNTER_AS_FLOAT, "fraction", Availability.ANY,
      b -> b.replaced(Kinds.COUNTER_AS_FLOAT, "originatorCounter", 1234.5)),
    new Entry(Kinds.COUNTER_NEGATIVE, "minus-one", Availability.ANY,
      b -> b.replaced(Kinds.COUNTER_NEGATIVE, "originatorCounter", -1L)),
    new Entry(Kinds.COUNTER_OVER_U64, "2^64", Availability.ANY,
      b -> b.replaced(Kinds.COUNTER_OVER_U64, "originatorCounter", TWO_TO_64)),
    new Entry(Kinds.COUNTER_OVER_U64, "10^30", Availability.ANY,
      b -> b.replaced(Kinds.COUNTER_OVER_U64, "originatorCounter", BigInteger.TEN.pow(30))),

    new Entry(Kinds.BAD_HUB_ID, "7-octets", Availability.ANY, b -> b.badHub("00-1B-C5-0C-00-00-01")),
    new Entry(Kinds.BAD_HUB_ID, "no-dashes", Availability.ANY, b -> b.badHub("001BC50C00000001")),
    new Entry(Kinds.BAD_HUB_ID, "not-hex", Availability.ANY, b -> b.badHub("00-1B-C5-0C-00-00-0G-01")),
    new Entry(Kinds.BAD_HUB_ID, "number", Availability.ANY, b -> b.badHub(12345)),

    new Entry(Kinds.BAD_DEVICE_ID, "9-octets", Availability.ANY,
      b -> b.replaced(Kinds.BAD_DEVICE_ID, "deviceId", "00-1B-C5-0C-00-00-00-01-02")),
    new Entry(Kinds.BAD_DEVICE_ID, "not-hex", Availability.ANY,
      b -> b.replaced(Kinds.BAD_DEVICE_ID, "deviceId", "ZZ-1B-C5-0C-00-00-00-01")),
    new Entry(Kinds.BAD_DEVICE_ID, "empty", Availability.ANY, b -> b.replaced(Kinds.BAD_DEVICE_ID, "deviceId", "")),

    new Entry(Kinds.BAD_ALERT_CODE, "3-digits", Availability.ANY, b -> b.badCode("8F3")),
    new Entry(Kinds.BAD_ALERT_CODE, "5-digits", Availability.ANY, b -> b.badCode("8F3E0")),
    new Entry(Kinds.BAD_ALERT_CODE, "not-hex", Availability.ANY, b -> b.badCode("8G3E")),
    new Entry(Kinds.BAD_ALERT_CODE, "empty", Availability.ANY, b -> b.badCode("")),

    new Entry(Kinds.BAD_RAISED_AT, "words", Availability.ANY, b -> b.replaced(Kinds.BAD_RAISED_AT, "raisedAt", "yesterday")),
    new Entry(Kinds.BAD_RAISED_AT, "impossible-date", Availability.ANY,
      b -> b.replaced(Kinds.BAD_RAISED_AT, "raisedAt", "2024-13-45T25:61:00Z")),
    new Entry(Kinds.BAD_RAISED_AT, "epoch-number", Availability.ANY,
      b -> b.replaced(Kinds.BAD_RAISED_AT, "raisedAt", 1_700_000_000_000L)),
    new Entry(Kinds.BAD_RAISED_AT, "empty", Availability.ANY, b -> b.replaced(Kinds.BAD_RAISED_AT, "raisedAt", "")),

    new Entry(Kinds.BAD_DMC, "string", Availability.ANY,
      b -> b.replaced(Kinds.BAD_DMC, "dmc", "Gridwise GPF-200 4.1.7")),
    new Entry(Kinds.BAD_DMC, "array", Availability.ANY,
      b -> b.replaced(Kinds.BAD_DMC, "dmc", new JsonArray().add("Gridwise").add("GPF-200").add("4.1.7"))),
    new Entry(Kinds.BAD_DMC, "number", Availability.ANY, b -> b.replaced(Kinds.BAD_DMC, "dmc", 42)),

    new Entry(Kinds.OVERSIZED_PAYLOAD, "limit-plus-4", Availability.ANY, b -> b.replaced(Kinds.OVERSIZED_PAYLOAD, "payload",
      b.factory.base64OfLength(b.context.maxPayloadBase64() + 4))),
    new Entry(Kinds.OVERSIZED_MESSAGE, "good-alerts-over-the-limit", Availability.ANY, BadInputs::oversizedMessage),

    new Entry(Kinds.HUB_MISMATCH, "other-hub-in-body", Availability.MQTT_ONLY, BadInputs::hubMismatch),
    new Entry(Kinds.BATCH_HUB_MISMATCH, "one-of-4-from-another-hub", Availability.MQTT_ONLY, BadInputs::batchHubMismatch),
    new Entry(Kinds.NOT_OBJECT_IN_ARRAY, "number-string-null", Availability.ANY, BadInputs::notObjectInArray),
    new Entry(Kinds.NDJSON_BAD_LINE, "one-line-not-json", Availability.NDJSON_ONLY, BadInputs::ndjsonBadLine),

    // Valid, at the edges: a node that rejects these is too strict.
    new Entry(Kinds.VALID_EDGE, "counter-zero", Availability.ANY, b -> b.edgeCounter(0L)),
    new Entry(Kinds.VALID_EDGE, "counter-2^64-1", Availability.ANY, b -> b.edgeCounter(-1L)),
    new Entry(Kinds.VALID_EDGE, "payload-at-limit", Availability.ANY, b -> b.edge(b.goodAlert(b.hub())
      .put("payload", b.factory.base64OfLength(b.context.maxPayloadBase64())))),
    new Entry(Kinds.VALID_EDGE, "unknown-extra-field", Availability.ANY, b -> b.edge(b.goodAlert(b.hub())
      .put("vendorExtension", new JsonObject().put("note", "ignored by the node")))),
    new Entry(Kinds.VALID_EDGE, "required-fields-only", Availability.ANY,
      b -> b.edge(b.factory.requiredFields(b.hub(), b.factory.newDevice("ESME"), "8F1C"))),
    new Entry(Kinds.VALID_EDGE, "ndjson-blank-lines", Availability.NDJSON_ONLY, BadInputs::ndjsonBlankLines));

  private final AlertFactory factory;
  private final ScenarioContext context;
  private final List<String> hubs = new ArrayList<>();

  BadInputs(AlertFactory factory) {
    this.factory = factory;
    this.context = factory.context();
    for (int i = 0; i < HUBS; i++) {
      hubs.add(factory.newHubId());
    }
  }

  /** The entries this context can express (see {@link Availability}). */
  static List<Entry> catalogue(ScenarioContext context) {
    return CATALOGUE.stream().filter(e -> e.availableIn(context)).toList();
  }

  /** Kinds left out for this context, for the report. */
  static List<String> skippedKinds(ScenarioContext context) {
    return CATALOGUE.stream().filter(e -> !e.availableIn(context)).map(e -> e.kind() + "/" + e.variant()).toList();
  }

  String hub() {
    return factory.pick(hubs);
  }

  /** A valid alert from a fresh device on the given hub. */
  JsonObject goodAlert(String hubId) {
    String code = factory.pick(AlertCodes.BACKGROUND_CODES);
    return factory.alert(hubId, factory.newDevice(AlertCodes.BACKGROUND.get(code)), code);
  }

  SimMessage goodSingle() {
    String hubId = hub();
    JsonObject alert = goodAlert(hubId);
    return new MessageBuilder().add(alert, MessageBuilder.Expect.ACCEPT, alert.getString("alertCode"))
      .single(Kinds.VALID, hubId);
  }

  private String goodText() {
    return goodAlert(hub()).encode();
  }

  private SimMessage malformed(String text) {
    return SimMessage.refusedWhole(hub(), Kinds.MALFORMED_JSON, text.getBytes(StandardCharsets.UTF_8),
      SimMessage.Format.JSON);
  }

  /** A single alert with one field replaced, sent on its own hub's topic. */
  private SimMessage replaced(String kind, String field, Object value) {
    String hubId = hub();
    JsonObject alert = goodAlert(hubId).put(field, value);
    return reject(kind, hubId, alert);
  }

  private SimMessage missing(String field) {
    String hubId = hub();
    JsonObject alert = goodAlert(hubId);
    alert.remove(field);
    // Without a hubId in the body there is nothing for a topic to agree with: use the head-end topic.
    return reject(Kinds.MISSING_FIELD, field.equals("hubId") ? null : hubId, alert);
  }

  private SimMessage badHub(Object hubId) {
    JsonObject alert = goodAlert(hub()).put("hubId", hubId);
    return reject(Kinds.BAD_HUB_ID, null, alert);
  }

  private SimMessage badCode(String code) {
    String hubId = hub();
    return reject(Kinds.BAD_ALERT_CODE, hubId, goodAlert(hubId).put("alertCode", code));
  }

  private static String codeKey(JsonObject alert) {
    Object code = alert.getValue("alertCode");
    return code instanceof String s && AlertCodes.FORMAT.matcher(s).matches() ? s : SimMessage.INVALID_CODE;
  }

  private SimMessage reject(String kind, String hubTopic, JsonObject alert) {
    return new MessageBuilder().add(alert, MessageBuilder.Expect.REJECT, codeKey(alert)).single(kind, hubTopic);
  }

  private SimMessage edge(JsonObject alert) {
    return new MessageBuilder().add(alert, MessageBuilder.Expect.ACCEPT, codeKey(alert))
      .single(Kinds.VALID_EDGE, alert.getString("hubId"));
  }

  private SimMessage edgeCounter(long unsignedCounter) {
    String hubId = hub();
    return edge(factory.alert(hubId, factory.newDevice("ESME", factory.randomDmc(), unsignedCounter), "8F0A"));
  }

  private SimMessage batchOneBad() {
    MessageBuilder batch = new MessageBuilder();
    int badAt = factory.random().nextInt(5);
    for (int i = 0; i < 5; i++) {
      if (i == badAt) {
        batch.add(goodAlert(hub()).put("alertCode", "8G3E"), MessageBuilder.Expect.REJECT, SimMessage.INVALID_CODE);
      } else {
        JsonObject alert = goodAlert(hub());
        batch.add(alert, MessageBuilder.Expect.ACCEPT, codeKey(alert));
      }
    }
    return batch.batch(Kinds.BATCH_ONE_BAD, null, context.batchFormat());
  }

  /**
   * Good alerts, but more bytes than the node takes in one message: it must refuse the message whole and
   * count it once, without reading the alerts inside.
   */
  private SimMessage oversizedMessage() {
    int payloadChars = Math.min(4000, context.maxPayloadBase64());
    long bytes = 2;
    List<JsonObject> alerts = new ArrayList<>();
    String hubId = hub();
    SimDevice esme = factory.newDevice("ESME");
    while (bytes <= context.maxMessageBytes() + 1024L) {
      JsonObject alert = factory.alert(hubId, esme, "8F1C").put("payload", factory.base64OfLength(payloadChars));
      alerts.add(alert);
      bytes += alert.encode().length() + 1;
    }
    String text;
    if (context.batchFormat() == SimMessage.Format.NDJSON) {
      StringBuilder sb = new StringBuilder();
      alerts.forEach(a -> sb.append(a.encode()).append('\n'));
      text = sb.toString();
    } else {
      text = new JsonArray(new ArrayList<>(alerts)).encode();
    }
    return SimMessage.refusedWhole(null, Kinds.OVERSIZED_MESSAGE, text.getBytes(StandardCharsets.UTF_8),
      context.batchFormat());
  }

  private SimMessage hubMismatch() {
    String topicHub = hubs.get(0);
    String bodyHub = hubs.get(1);
    JsonObject alert = goodAlert(bodyHub);
    return reject(Kinds.HUB_MISMATCH, topicHub, alert);
  }

  private SimMessage batchHubMismatch() {
    String topicHub = hubs.get(2);
    MessageBuilder batch = new MessageBuilder();
    int strangerAt = factory.random().nextInt(4);
    for (int i = 0; i < 4; i++) {
      JsonObject alert = goodAlert(i == strangerAt ? hubs.get(3) : topicHub);
      batch.add(alert, i == strangerAt ? MessageBuilder.Expect.REJECT : MessageBuilder.Expect.ACCEPT, codeKey(alert));
    }
    return batch.batch(Kinds.BATCH_HUB_MISMATCH, topicHub, SimMessage.Format.JSON);
  }

  private SimMessage notObjectInArray() {
    String hubId = hub();
    JsonObject first = goodAlert(hubId);
    JsonObject second = goodAlert(hubId);
    return new MessageBuilder()
      .add(first, MessageBuilder.Expect.ACCEPT, codeKey(first))
      .add(42, MessageBuilder.Expect.REJECT, SimMessage.INVALID_CODE)
      .add(second, MessageBuilder.Expect.ACCEPT, codeKey(second))
      .add("8F3E", MessageBuilder.Expect.REJECT, SimMessage.INVALID_CODE)
      .add(null, MessageBuilder.Expect.REJECT, SimMessage.INVALID_CODE)
      .batch(Kinds.NOT_OBJECT_IN_ARRAY, hubId, context.batchFormat());
  }

  private SimMessage ndjsonBadLine() {
    MessageBuilder batch = new MessageBuilder();
    int badAt = factory.random().nextInt(4);
    for (int i = 0; i < 4; i++) {
      if (i == badAt) {
        batch.addRawLine("{\"hubId\": \"" + hub() + "\", \"alertCode\": ");
      } else {
        JsonObject alert = goodAlert(hub());
        batch.add(alert, MessageBuilder.Expect.ACCEPT, codeKey(alert));
      }
    }
    return batch.batch(Kinds.NDJSON_BAD_LINE, null, SimMessage.Format.NDJSON);
  }

  private SimMessage ndjsonBlankLines() {
    MessageBuilder batch = new MessageBuilder();
    for (int i = 0; i < 3; i++) {
      JsonObject alert = goodAlert(hub());
      batch.add(alert, MessageBuilder.Expect.ACCEPT, codeKey(alert));
    }
    return batch.batch(Kinds.VALID_EDGE, null, SimMessage.Format.NDJSON, true);
  }
}
