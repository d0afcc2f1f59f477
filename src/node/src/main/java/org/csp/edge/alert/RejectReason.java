package org.csp.edge.alert;

/** Why an input was refused. The wire name is what the API, the logs and the metrics show. */
public enum RejectReason {
  MALFORMED_JSON("the message is not valid JSON"),
  NOT_AN_OBJECT("an alert must be a JSON object"),
  MISSING_FIELD("a required field is missing"),
  DUPLICATE_FIELD("a field of the alert appears twice: which value is meant is not known"),
  BAD_HUB_ID("hubId must be an EUI-64 such as 00-1B-C5-0C-00-00-00-01"),
  BAD_DEVICE_ID("deviceId must be an EUI-64 such as 00-1B-C5-0C-00-00-00-02"),
  BAD_DEVICE_TYPE("deviceType must be one of ESME, GSME, GPF, CHF, PPMID, HCALCS, IHD"),
  BAD_ALERT_CODE("alertCode must be 4 hex digits such as 8F3E"),
  BAD_ORIGINATOR_COUNTER("originatorCounter must be a JSON integer from 0 to 18446744073709551615"),
  BAD_RAISED_AT("raisedAt must be an ISO-8601 instant from year 0000 to 9999, such as 2026-11-23T10:15:30Z"),
  BAD_DMC("dmc must be an object with string fields manufacturer, model and firmware, each at most 128 characters"
      + " without control characters"),
  BAD_PAYLOAD("payload must be a base64 string"),
  PAYLOAD_TOO_LARGE("payload is longer than the configured limit"),
  ALERT_TOO_COMPLEX("the alert nests deeper, or holds a longer number, than the parser's limits; it was refused alone"),
  INVALID("the alert could not be read (the node logged why); it was refused alone"),
  DECISION_FAILED("the node failed to decide the alert (it logged why); it was refused, and acknowledged"),
  MESSAGE_TOO_LARGE("the message is larger than the configured limit; it was refused whole"),
  BATCH_TOO_LARGE("the message holds more alerts than the configured limit; it was refused whole"),
  RATE_LIMITED("the connection sent QoS 0 messages faster than its configured rate; the message was refused whole unread"),
  OUTBOX_FULL("the node holds back its acknowledgements (the upstream outbox is full) and a QoS 0 message has none to"
      + " hold; the message was refused whole unread"),
  OVERLOADED("the node has more alerts waiting for their decision than limits.maxUndecidedAlerts and a QoS 0 message"
      + " has no acknowledgement to hold; the message was refused whole unread"),
  HUB_NOT_ALLOWED("this client may not send alerts for that hub (its credentials bind it to other hubs)"),
  HUB_MISMATCH("the alert's hubId disagrees with the hub in the topic"),
  BAD_TOPIC("alerts are published to alerts/{hubId} or alerts"),
  UNSUPPORTED_MEDIA_TYPE("send application/json or application/x-ndjson"),
  UNAVAILABLE("the node could not record the alert (shared state unavailable); send it again");

  private final String explanation;

  RejectReason(String explanation) {
    this.explanation = explanation;
  }

  public String wireName() {
    return name().toLowerCase();
  }

  public String explanation() {
    return explanation;
  }
}
