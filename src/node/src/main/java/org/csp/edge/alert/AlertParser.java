package org.csp.edge.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.csp.edge.text.UnsafeCharacters;
import org.slf4j.LoggerFactory;

/**
 * Turns southbound bytes into alerts, following src/docs/wire-format.md. Streams with Jackson so that a batch
 * builds only the alerts themselves. A bad element is refused on its own, whatever is wrong with it (a value out of
 * range, an unknown field too deep, a failure nobody foresaw); a message that is not JSON at all is refused whole
 * and counted once. Thread-safe: one instance serves every intake.
 */
public final class AlertParser {
  private static final Set<String> DEVICE_TYPES = Set.of("ESME", "GSME", "GPF", "CHF", "PPMID", "HCALCS", "IHD");
  private static final BigInteger MAX_UNSIGNED_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  /** DMC strings are names, not documents: a bound keeps a hostile sender from filling hub state. */
  private static final int MAX_DMC_FIELD_CHARS = 128;
  /**
   * Limits of one element, so that a hostile element costs bounded work and memory and is refused alone: an alert
   * is three levels deep, and its longest number (an unsigned 64-bit counter) has 20 digits.
   */
  private static final int MAX_ELEMENT_DEPTH = 32;
  private static final int MAX_NUMBER_CHARS = 1000;
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(AlertParser.class), FAILURE_LOG_INTERVAL);

  private final JsonFactory json;
  private final int maxMessageBytes;
  private final int maxPayloadChars;
  private final int maxAlerts;
  private final DeviceModels models;

  public AlertParser(int maxMessageBytes, int maxPayloadChars) {
    this(maxMessageBytes, maxPayloadChars, Integer.MAX_VALUE);
  }

  /** @param maxAlerts a message with more elements than this is refused whole as soon as the parser sees it */
  public AlertParser(int maxMessageBytes, int maxPayloadChars, int maxAlerts) {
    this(maxMessageBytes, maxPayloadChars, maxAlerts, DeviceModels.NONE);
  }

  /**
   * @param models where an alert that carries no {@code dmc} gets one (the inventory): asked once the alert is
   *     otherwise valid, so that the DMC it gets is in its verdict, its summaries and its rollups alike
   */
  public AlertParser(int maxMessageBytes, int maxPayloadChars, int maxAlerts, DeviceModels models) {
    this.models = models;
    this.maxMessageBytes = maxMessageBytes;
    this.maxPayloadChars = maxPayloadChars;
    this.maxAlerts = maxAlerts;
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_ELEMENT_DEPTH)
                .maxNumberLength(MAX_NUMBER_CHARS).build())
            .build();
  }

  /**
   * A JSON message: one alert object or an array of them. The array's elements are found first (
   * {@link JsonElements}), then each is read by its own parser under the per-element limits: an element too deep,
   * or holding too long a number, is refused alone and the next one is read. Broken syntax anywhere still refuses
   * the message whole, counted once.
   *
   * @param topicHubId the hub of the MQTT topic {@code alerts/{hubId}} (already normalised), or null for none
   */
  public ParsedMessage parseJson(byte[] bytes, int offset, int length, String topicHubId) {
    if (length > maxMessageBytes) {
      return ParsedMessage.refusedWhole(RejectReason.MESSAGE_TOO_LARGE, length + " bytes, limit " + maxMessageBytes);
    }
    try {
      return elements(bytes, offset, offset + length, topicHubId);
    } catch (IOException e) {
      // Broken syntax leaves no reliable element boundaries: the whole message is refused, counted once.
      return ParsedMessage.refusedWhole(RejectReason.MALFORMED_JSON, shortMessage(e));
    } catch (RuntimeException e) {
      // A defect outside any one element: the message is still answered, and counted once.
      failures.failed("reading a message failed", e);
      return ParsedMessage.refusedWhole(RejectReason.INVALID, e.getClass().getSimpleName());
    }
  }

  private ParsedMessage elements(byte[] bytes, int from, int end, String topicHubId) throws IOException {
    List<Alert> alerts = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>(0);
    int i = JsonElements.skipWhitespace(bytes, JsonElements.skipByteOrderMark(bytes, from, end), end);
    if (i == end) return ParsedMessage.refusedWhole(RejectReason.MALFORMED_JSON, "empty message");
    if (bytes[i] != '[') {
      collect(element(bytes, i, end, 0, topicHubId), alerts, rejections);
      return new ParsedMessage(alerts, rejections);
    }
    i = JsonElements.skipWhitespace(bytes, i + 1, end);
    if (i < end && bytes[i] == ']') {
      i++;
    } else {
      for (int index = 0; ; index++) {
        if (index >= maxAlerts) return tooMany();
        int elementEnd = i == end ? JsonElements.NOT_FOUND : JsonElements.valueEnd(bytes, i, end);
        if (elementEnd == JsonElements.NOT_FOUND) throw malformed("unterminated array");
        if (elementEnd == i) throw malformed("no value at byte " + (i - from));
        collect(element(bytes, i, elementEnd, index, topicHubId), alerts, rejections);
        i = JsonElements.skipWhitespace(bytes, elementEnd, end);
        if (i == end) throw malformed("unterminated array");
        if (bytes[i] == ']') {
          i++;
          break;
        }
        if (bytes[i] != ',') throw malformed("expected ',' or ']' at byte " + (i - from));
        i = JsonElements.skipWhitespace(bytes, i + 1, end);
      }
    }
    if (JsonElements.skipWhitespace(bytes, i, end) != end) throw malformed("trailing content after the JSON value");
    return new ParsedMessage(alerts, rejections);
  }

  public ParsedMessage parseJson(byte[] bytes, String topicHubId) {
    return parseJson(bytes, 0, bytes.length, topicHubId);
  }

  /** NDJSON: one alert object a line; each line stands alone, so a broken line is refused alone. */
  public ParsedMessage parseNdjson(byte[] bytes) {
    if (bytes.length > maxMessageBytes) {
      return ParsedMessage.refusedWhole(RejectReason.MESSAGE_TOO_LARGE, bytes.length + " bytes, limit " + maxMessageBytes);
    }
    List<Alert> alerts = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>(0);
    int index = 0;
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') end++;
      if (!blank(bytes, start, end)) {
        if (index >= maxAlerts) return tooMany();
        try {
          collect(element(bytes, start, end, index, null), alerts, rejections);
        } catch (IOException e) {
          rejections.add(new Rejection(index, RejectReason.MALFORMED_JSON, "line " + (index + 1) + ": " + shortMessage(e)));
        }
        index++;
      }
      start = end + 1;
    }
    return new ParsedMessage(alerts, rejections);
  }

  /**
   * One element, read by its own parser from exactly its bytes: an alert, or a rejection of this element alone.
   * Throws only for broken syntax, which the caller answers for the whole message (JSON) or the line (NDJSON).
   */
  private Object element(byte[] bytes, int from, int end, int index, String topicHubId) throws IOException {
    try (JsonParser p = json.createParser(bytes, from, end - from)) {
      Object element = readElement(p, p.nextToken(), index, topicHubId);
      if (p.nextToken() != null) throw new JsonParseException(p, "more than one JSON value");
      return element;
    } catch (StreamConstraintsException e) {
      boolean object = bytes[JsonElements.skipWhitespace(bytes, from, end)] == '{';
      return new Rejection(index, object ? RejectReason.ALERT_TOO_COMPLEX : RejectReason.NOT_AN_OBJECT, shortMessage(e));
    } catch (RuntimeException e) {
      // A defect met by this element (a value no check foresaw): it is refused alone, and the next one read.
      failures.failed("reading alert " + index + " of a message failed", e);
      return new Rejection(index, RejectReason.INVALID, e.getClass().getSimpleName());
    }
  }

  private static JsonParseException malformed(String why) {
    return new JsonParseException((JsonParser) null, why);
  }

  private ParsedMessage tooMany() {
    return ParsedMessage.refusedWhole(RejectReason.BATCH_TOO_LARGE, "more than " + maxAlerts + " alerts");
  }

  /**
   * How many alerts a JSON message refused unread for the node's sake (its rate, a full outbox, too much undecided)
   * stands for, counted as its reading would have counted them: the elements of a well-formed array (0 for an empty
   * one), 1 for anything else. A message refused for what it is counts once, as the contract says: not JSON (broken
   * anywhere, trailing content), or more than {@code maxAlerts} elements. The elements are delimited, not read (such a
   * message is refused to save the reading).
   */
  public static int alertsIn(byte[] bytes, int from, int end, int maxAlerts) {
    int i = JsonElements.skipWhitespace(bytes, JsonElements.skipByteOrderMark(bytes, from, end), end);
    if (i == end || bytes[i] != '[') return 1;
    i = JsonElements.skipWhitespace(bytes, i + 1, end);
    int n = 0;
    if (i < end && bytes[i] == ']') {
      i++;
    } else {
      while (true) {
        int elementEnd = i == end ? JsonElements.NOT_FOUND : JsonElements.valueEnd(bytes, i, end);
        if (elementEnd == JsonElements.NOT_FOUND || elementEnd == i) return 1;
        if (++n > maxAlerts) return 1;
        i = JsonElements.skipWhitespace(bytes, elementEnd, end);
        if (i == end) return 1;
        if (bytes[i] == ']') {
          i++;
          break;
        }
        if (bytes[i] != ',') return 1;
        i = JsonElements.skipWhitespace(bytes, i + 1, end);
      }
    }
    return JsonElements.skipWhitespace(bytes, i, end) == end ? n : 1;
  }

  private static void collect(Object element, List<Alert> alerts, List<Rejection> rejections) {
    if (element instanceof Alert a) alerts.add(a);
    else rejections.add((Rejection) element);
  }

  /** Reads one element, always consuming it whole so the next element starts clean. */
  private Object readElement(JsonParser p, JsonToken t, int index, String topicHubId) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new Rejection(index, RejectReason.NOT_AN_OBJECT, "found " + describe(t));
    }
    AlertFields f = new AlertFields();
    for (JsonToken field = p.nextToken(); field != JsonToken.END_OBJECT; field = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (f.problem == null) {
        if (f.firstTime(name)) readField(p, name, value, f);
        else f.fail(RejectReason.DUPLICATE_FIELD, name + " appears twice");
      }
      p.skipChildren();
    }
    if (f.problem != null) return new Rejection(index, f.problem, f.detail);
    return f.toAlert(index, topicHubId, models);
  }

  private void readField(JsonParser p, String name, JsonToken value, AlertFields f) throws IOException {
    switch (name) {
      case "hubId" -> {
        f.hubId = Eui64.normalise(text(p, value));
        if (f.hubId == null) f.fail(RejectReason.BAD_HUB_ID, "got " + quote(p, value));
      }
      case "deviceId" -> {
        f.deviceId = Eui64.normalise(text(p, value));
        if (f.deviceId == null) f.fail(RejectReason.BAD_DEVICE_ID, "got " + quote(p, value));
      }
      case "deviceType" -> {
        String s = text(p, value);
        if (s == null || !DEVICE_TYPES.contains(s.toUpperCase(Locale.ROOT))) {
          f.fail(RejectReason.BAD_DEVICE_TYPE, "got " + quote(p, value));
        } else {
          f.deviceType = s.toUpperCase(Locale.ROOT);
        }
      }
      case "alertCode" -> {
        String s = text(p, value);
        if (s == null || s.length() != 4 || !isHex(s)) f.fail(RejectReason.BAD_ALERT_CODE, "got " + quote(p, value));
        else f.alertCode = s.toUpperCase(Locale.ROOT);
      }
      case "originatorCounter" -> readCounter(p, value, f);
      case "raisedAt" -> {
        String s = text(p, value);
        Long millis = s == null ? null : IsoInstant.parseMillis(s);
        if (millis == null) {
          f.fail(RejectReason.BAD_RAISED_AT, "got " + quote(p, value));
        } else {
          f.raisedAt = s;
          f.raisedAtMillis = millis;
        }
      }
      case "dmc" -> readDmc(p, value, f);
      case "payload" -> {
        String s = text(p, value);
        if (s == null) f.fail(RejectReason.BAD_PAYLOAD, "got " + describe(value));
        else if (s.length() > maxPayloadChars) {
          f.fail(RejectReason.PAYLOAD_TOO_LARGE, s.length() + " characters, limit " + maxPayloadChars);
        } else if (!isBase64(s)) f.fail(RejectReason.BAD_PAYLOAD, "not base64");
        else f.payload = s;
      }
      default -> {
        // Unknown fields are ignored (wire format); skipChildren() in the caller steps over their values.
      }
    }
  }

  private static void readCounter(JsonParser p, JsonToken value, AlertFields f) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      f.fail(RejectReason.BAD_ORIGINATOR_COUNTER, "got " + describe(value));
      return;
    }
    switch (p.getNumberType()) {
      case INT, LONG -> {
        long v = p.getLongValue();
        if (v < 0) f.fail(RejectReason.BAD_ORIGINATOR_COUNTER, "got " + v);
        else f.counter = v;
      }
      default -> {
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() < 0 || v.compareTo(MAX_UNSIGNED_64) > 0) {
          f.fail(RejectReason.BAD_ORIGINATOR_COUNTER, "got " + abbreviate(v.toString()));
        } else {
          f.counter = v.longValue(); // the low 64 bits: the unsigned value in a long
        }
      }
    }
    if (f.problem == null) f.hasCounter = true;
  }

  /**
   * What no model name holds and every reader of one would trip on: control characters (a line break would add lines
   * to the digest e-mail, the text log and exports), the characters that reorder text around them on a page, and
   * half a surrogate pair (JSON's {@code \ud800} alone, or CESU-8 bytes): not a Unicode string, so a strict reader
   * of the upstream event (I-JSON, a UTF-8 database column) refuses the whole event.
   */
  private static boolean notInAName(int c) {
    return UnsafeCharacters.breaksText(c) || UnsafeCharacters.reordersText(c) || Character.getType(c) == Character.SURROGATE;
  }

  private static void readDmc(JsonParser p, JsonToken value, AlertFields f) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      f.fail(RejectReason.BAD_DMC, "got " + describe(value));
      return;
    }
    String manufacturer = null;
    String model = null;
    String firmware = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      String s = v == JsonToken.VALUE_STRING ? p.getText() : null;
      p.skipChildren();
      int bit = switch (name) {
        case "manufacturer" -> 1;
        case "model" -> 2;
        case "firmware" -> 4;
        default -> 0;
      };
      if ((seen & bit) != 0) {
        f.fail(RejectReason.BAD_DMC, name + " appears twice");
        continue;
      }
      seen |= bit;
      if (s != null && s.length() > MAX_DMC_FIELD_CHARS) {
        f.fail(RejectReason.BAD_DMC, name + " is longer than " + MAX_DMC_FIELD_CHARS + " characters");
        continue;
      }
      // Without the spaces around it: "Acme " and "Acme" are one maker, or the reports and the register would split
      // its devices into two models that print alike.
      if (s != null) s = s.strip();
      if (s != null && s.codePoints().anyMatch(AlertParser::notInAName)) {
        f.fail(RejectReason.BAD_DMC, name + " holds a character that is not text (a control character, a direction mark,"
            + " half a surrogate pair...)");
        continue;
      }
      switch (name) {
        case "manufacturer" -> manufacturer = s;
        case "model" -> model = s;
        case "firmware" -> firmware = s;
        default -> {}
      }
    }
    if (f.problem != null) return;
    if (manufacturer == null || model == null || firmware == null) {
      f.fail(RejectReason.BAD_DMC, "manufacturer, model and firmware must all be strings");
    } else {
      f.dmc = new Dmc(manufacturer, model, firmware);
    }
  }

  /** The fields of one alert as they are read; the first problem found is the reason it is refused. */
  private static final class AlertFields {
    String hubId;
    String deviceId;
    String deviceType;
    String alertCode;
    long counter;
    boolean hasCounter;
    String raisedAt;
    long raisedAtMillis;
    Dmc dmc;
    String payload;
    RejectReason problem;
    String detail;
    /** The known fields read so far, one bit each: a second value for one is refused, not silently preferred. */
    private int seen;

    /** False when {@code name} is a field of the alert already read; unknown fields are ignored, so always true. */
    boolean firstTime(String name) {
      int bit = switch (name) {
        case "hubId" -> 1;
        case "deviceId" -> 1 << 1;
        case "deviceType" -> 1 << 2;
        case "alertCode" -> 1 << 3;
        case "originatorCounter" -> 1 << 4;
        case "raisedAt" -> 1 << 5;
        case "dmc" -> 1 << 6;
        case "payload" -> 1 << 7;
        default -> 0;
      };
      boolean first = (seen & bit) == 0;
      seen |= bit;
      return first;
    }

    void fail(RejectReason reason, String why) {
      if (problem == null) {
        problem = reason;
        detail = why;
      }
    }

    Object toAlert(int index, String topicHubId, DeviceModels models) {
      String missing =
          hubId == null ? "hubId"
              : deviceId == null ? "deviceId"
              : alertCode == null ? "alertCode"
              : !hasCounter ? "originatorCounter"
              : raisedAt == null ? "raisedAt"
              : null;
      if (missing != null) return new Rejection(index, RejectReason.MISSING_FIELD, missing);
      if (topicHubId != null && !topicHubId.equals(hubId)) {
        return new Rejection(index, RejectReason.HUB_MISMATCH, "topic hub " + topicHubId + ", alert hubId " + hubId);
      }
      Dmc model = dmc != null ? dmc : models.of(deviceId);
      return new Alert(hubId, deviceId, deviceType, alertCode, counter, raisedAt, raisedAtMillis, model, payload);
    }
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING ? p.getText() : null;
  }


  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  private static boolean isBase64(String s) {
    if (s.length() % 4 != 0) return false;
    int padding = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=') {
        if (i < s.length() - 2) return false;
        padding++;
      } else if (padding > 0
          || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  private static boolean blank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
    }
    return true;
  }

  private static String quote(JsonParser p, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING ? "'" + abbreviate(p.getText()) + "'" : describe(value);
  }

  private static String describe(JsonToken t) {
    if (t == null) return "nothing";
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static String shortMessage(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int cut = m.indexOf('\n');
    return abbreviate(cut > 0 ? m.substring(0, cut) : m);
  }
}
