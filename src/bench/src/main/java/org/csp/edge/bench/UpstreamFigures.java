package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;
import java.util.TreeMap;

/**
 * What went up for what came in, over a whole scenario (the graceful stop's final summaries and groups included).
 * The latency probe's alerts are always forwarded one message each, and so is the region's background that a regional
 * scenario plays first (its lead-in), so the scenario's own reduction is figured without either; the raw figures are
 * kept too.
 *
 * @param leadIn the alerts sent and messages received during a regional scenario's lead-in (both 0 without one)
 */
record UpstreamFigures(long alertsSent, long messages, FeedCounts feed, long probeAlerts, LeadIn leadIn,
    long forwarded, long consolidated, long grouped) {

  /** What the lead-in sent and what went up for it, by the time it had drained. */
  record LeadIn(long alerts, long messages) {
    static final LeadIn NONE = new LeadIn(0, 0);
  }

  static UpstreamFigures of(long alertsSent, FeedCounts feed, long probeAlerts, LeadIn leadIn, JsonObject status) {
    return new UpstreamFigures(alertsSent, feed.messages(), feed, probeAlerts, leadIn, status.getLong("forwarded"),
        status.getLong("consolidated"), status.getLong("grouped"));
  }

  /** @return the node's consolidated + grouped: alerts that did not go up as single alerts */

  long heldBack() {
    return consolidated + grouped;
  }

  /** Upstream messages per 1000 alerts received, the probe and the lead-in left out. */
  double perThousand() {
    long alerts = alertsSent - probeAlerts - leadIn.alerts();
    return alerts <= 0 ? Double.NaN
        : 1000.0 * Math.max(0, messages - feed.probeAlerts() - leadIn.messages()) / alerts;
  }

  /** How many fewer messages went up than alerts came in, in percent, the probe left out. */
  double reductionPercent() {
    return 100 - perThousand() / 10;
  }

  double heldBackPercent() {
    long alerts = alertsSent - probeAlerts - leadIn.alerts();
    return alerts <= 0 ? Double.NaN : 100.0 * heldBack() / alerts;
  }

  JsonObject toJson() {
    JsonObject byType = new JsonObject();
    new TreeMap<>(feed.eventsByType()).forEach(byType::put);
    return new JsonObject()
        .put("alertsSent", alertsSent)
        .put("probeAlertsSent", probeAlerts)
        .put("leadInAlertsSent", leadIn.alerts())
        .put("leadInMessages", leadIn.messages())
        .put("messages", messages)
        .put("distinctEvents", feed.events())
        .put("repeats", feed.repeats())
        .put("eventsByType", byType)
        .put("probeAlertsForwarded", feed.probeAlerts())
        .put("messagesPer1000Alerts", Numbers.round3(perThousand()))
        .put("reductionPercent", Numbers.round3(reductionPercent()))
        .put("node", new JsonObject().put("forwarded", forwarded).put("consolidated", consolidated)
            .put("grouped", grouped).put("heldBackPercent", Numbers.round3(heldBackPercent())));
  }
}
