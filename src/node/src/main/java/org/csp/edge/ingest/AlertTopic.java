package org.csp.edge.ingest;

import org.csp.edge.alert.Eui64;

/** The southbound topics: {@code alerts/{hubId}} for one hub's alerts, {@code alerts} for a head-end batch. */
record AlertTopic(boolean valid, String hubId) {
  static final String BATCH = "alerts";
  private static final String HUB_PREFIX = "alerts/";
  private static final AlertTopic INVALID = new AlertTopic(false, null);
  private static final AlertTopic HEAD_END = new AlertTopic(true, null);

  static AlertTopic parse(String topic) {
    if (BATCH.equals(topic)) return HEAD_END;
    if (topic == null || !topic.startsWith(HUB_PREFIX)) return INVALID;
    String hub = Eui64.normalise(topic.substring(HUB_PREFIX.length()));
    return hub == null ? INVALID : new AlertTopic(true, hub);
  }
}
