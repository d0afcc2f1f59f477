package org.csp.edge.sim;

/**
 * The kinds of message scenarios send. A kind says what the message exercises; the accounting itself is
 * in each {@link SimMessage}'s counts, since one message can mix good and bad elements.
 */
public final class Kinds {

  /** One valid alert. */
  public static final String VALID = "valid";
  /** An array (or NDJSON batch) of valid alerts. */
  public static final String VALID_BATCH = "valid-batch";
  /** Valid alerts at the edge of the format: counter 0 or 2^64-1, payload at the limit, unknown extra field... */
  public static final String VALID_EDGE = "valid-edge";
  /** The same (deviceId, originatorCounter) sent again. */
  public static final String DUPLICATE_RESEND = "duplicate-resend";
  /** An array holding a header and its repeat. */
  public static final String DUPLICATE_IN_BATCH = "duplicate-in-batch";

  public static final String MALFORMED_JSON = "malformed-json";
  public static final String BATCH_ONE_BAD = "batch-one-bad";
  public static final String MISSING_FIELD = "missing-field";
  public static final String COUNTER_AS_STRING = "counter-as-string";
  public static final String COUNTER_AS_FLOAT = "counter-as-float";
  public static final String COUNTER_NEGATIVE = "counter-negative";
  public static final String COUNTER_OVER_U64 = "counter-over-u64";
  public static final String BAD_HUB_ID = "bad-hub-id";
  public static final String BAD_DEVICE_ID = "bad-device-id";
  public static final String BAD_ALERT_CODE = "bad-alert-code";
  public static final String BAD_RAISED_AT = "bad-raised-at";
  public static final String BAD_DMC = "bad-dmc";
  public static final String OVERSIZED_PAYLOAD = "oversized-payload";
  public static final String OVERSIZED_MESSAGE = "oversized-message";
  /** MQTT only: the body's hubId disagrees with the topic's. */
  public static final String HUB_MISMATCH = "hub-mismatch";
  /** MQTT only: one element of a single-hub batch comes from another hub. */
  public static final String BATCH_HUB_MISMATCH = "batch-hub-mismatch";
  public static final String NOT_OBJECT_IN_ARRAY = "not-object-in-array";
  /** HTTP NDJSON only: one line is not JSON. */
  public static final String NDJSON_BAD_LINE = "ndjson-bad-line";

  private Kinds() {
  }
}
