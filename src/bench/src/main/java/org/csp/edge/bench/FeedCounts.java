package org.csp.edge.bench;

import java.util.Map;

/**
 * What a subscriber has received so far.
 *
 * @param messages        MQTT messages received, repeats included
 * @param events          distinct events (once per eventId); for the bare hop, messages
 * @param accountedAlerts sum of {@code count} over distinct events; for the bare hop, alerts received
 * @param eventsByType    distinct events per wire-format type (empty for the bare hop)
 * @param probeAlerts     forwarded alerts of the latency probe (node feed only)
 */
record FeedCounts(long messages, long events, long accountedAlerts, Map<String, Long> eventsByType, long probeAlerts) {

  long repeats() {
    return messages - events;
  }

  long ofType(String type) {
    return eventsByType.getOrDefault(type, 0L);
  }
}
