package org.csp.edge.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exactly what a run sent, and what the node must therefore show: with no unconfirmed messages,
 * {@code sum(count of northbound events) == validAlerts}, {@code duplicates == duplicateAlerts},
 * {@code rejected == badAlerts}, and the three add up to {@code alertsSent}.
 *
 * @param plannedMessages      the scenario's size; less than messagesSent only if the run was cut short
 * @param alertsSent           accounting units sent (see {@link SimMessage#alertsSent()})
 * @param validAlerts          units the node must accept
 * @param duplicateAlerts      units the node must count as duplicate headers
 * @param badAlerts            units the node must reject
 * @param messagesConfirmed    PUBACKed (QoS 1), written (QoS 0), or answered with a final HTTP status
 * @param messagesUnconfirmed  lost with their connection or failed: the node may or may not have counted them
 * @param httpAccepted         the sum of "accepted" in the node's HTTP answers
 * @param httpRejected         the sum of "rejected" in the node's HTTP answers
 * @param httpUnavailable      the sum of "unavailable" in the node's HTTP answers (alerts it could not record)
 * @param retries              messages sent again: after a 503 (HTTP), a lost connection or a skipped PUBACK (MQTT)
 * @param alertsResent         units in those repeats; a repeat of something the node had counted reaches it as a
 *                             duplicate, so with resends the node's duplicates may exceed duplicateAlerts by up to this
 * @param skippedKinds         bad-input entries the transport cannot express, left out ("kind/variant")
 */
public record SimReport(String scenario, TransportKind transport, String target, long seed, double scale,
                        long plannedMessages, long messagesSent, long alertsSent,
                        long validAlerts, long duplicateAlerts, long badAlerts,
                        long messagesConfirmed, long alertsConfirmed, long messagesUnconfirmed, long alertsUnconfirmed,
                        Map<String, KindTotals> byKind, Map<String, Long> byCode,
                        Map<Integer, Long> httpStatus, long httpAccepted, long httpRejected,
                        long httpUnavailable, long httpAnswersWithoutCounts, long retries, long alertsResent,
                        Map<String, Long> errors, List<String> skippedKinds, Duration elapsed) {

  /** Messages and units of one kind. */
  public record KindTotals(long messages, long alerts) {
  }

  public SimReport {
    byKind = Map.copyOf(byKind);
    byCode = Map.copyOf(byCode);
    httpStatus = Map.copyOf(httpStatus);
    errors = Map.copyOf(errors);
    skippedKinds = List.copyOf(skippedKinds);
  }

  static SimReport from(SimTally t, SimOptions options, String target, long planned, List<String> skipped,
                        Duration elapsed) {
    Map<String, KindTotals> kinds = new LinkedHashMap<>();
    t.byKind.forEach((kind, c) -> kinds.put(kind, new KindTotals(c.messages, c.alerts)));
    return new SimReport(options.scenario(), options.transport(), target, options.seed(), options.scale(), planned,
      t.messagesSent, t.alertsSent, t.validAlerts, t.duplicateAlerts, t.badAlerts,
      t.messagesConfirmed, t.alertsConfirmed, t.messagesUnconfirmed, t.alertsUnconfirmed,
      kinds, t.byCode, t.httpStatus, t.httpAccepted, t.httpRejected, t.httpUnavailable, t.httpAnswersWithoutCounts, t.retries, t.alertsResent,
      t.errors, skipped, elapsed);
  }

  /** Everything planned was sent and the node answered for every message. */
  public boolean complete() {
    return messagesSent == plannedMessages && messagesUnconfirmed == 0 && messagesConfirmed == messagesSent;
  }

  public double messagesPerSecond() {
    return perSecond(messagesSent);
  }

  public double alertsPerSecond() {
    return perSecond(alertsSent);
  }

  private double perSecond(long n) {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? n / seconds : 0;
  }

  /** A table for a terminal. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Storm simulation: scenario %s, seed %d, scale %s, %s%n", scenario, seed,
      trim(scale), target));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d of %d planned%n", "messages sent", messagesSent, plannedMessages));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d%n", "  confirmed", messagesConfirmed));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d%s%n", "  unconfirmed", messagesUnconfirmed,
      messagesUnconfirmed > 0 ? "   (" + alertsUnconfirmed + " alerts the node may or may not have counted)" : ""));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d%n", "alerts sent (units)", alertsSent));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d%n", "  valid", validAlerts));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d%n", "  duplicate resends", duplicateAlerts));
    sb.append(String.format(Locale.ROOT, "  %-22s %10d%n", "  bad inputs", badAlerts));
    sb.append(String.format(Locale.ROOT, "  %-22s %10.1f s, %.1f messages/s, %.1f alerts/s%n", "elapsed",
      elapsed.toMillis() / 1000.0, messagesPerSecond(), alertsPerSecond()));
    if (!httpStatus.isEmpty()) {
      StringBuilder statuses = new StringBuilder();
      new TreeMap<>(httpStatus).forEach((status, n) -> statuses.append(' ').append(status).append(" x ").append(n));
      sb.append(String.format(Locale.ROOT, "  %-22s%s%n", "HTTP answers", statuses));
      sb.append(String.format(Locale.ROOT, "  %-22s %10d accepted, %d rejected%s%s%n", "  the node said",
        httpAccepted, httpRejected, httpUnavailable > 0 ? ", " + httpUnavailable + " unavailable (not recorded)" : "",
        httpAnswersWithoutCounts > 0 ? " (" + httpAnswersWithoutCounts + " answers without counts)" : ""));
    }
    if (retries > 0) {
      sb.append(String.format(Locale.ROOT, "  %-22s %10d messages (%d alerts)%s%n", "sent again", retries, alertsResent,
        transport == TransportKind.HTTP ? " after a 503" : " after a lost connection or a skipped PUBACK"));
    }
    if (!skippedKinds.isEmpty()) {
      sb.append("  not expressible over ").append(transport.cliName()).append(", left out: ")
        .append(String.join(", ", skippedKinds)).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "%n  %-24s %10s %10s%n", "kind", "messages", "alerts"));
    new TreeMap<>(byKind).forEach((kind, c) ->
      sb.append(String.format(Locale.ROOT, "  %-24s %10d %10d%n", kind, c.messages(), c.alerts())));
    sb.append(String.format(Locale.ROOT, "%n  %-24s %10s%n", "alert code", "alerts"));
    new TreeMap<>(byCode).forEach((code, n) -> sb.append(String.format(Locale.ROOT, "  %-24s %10d%n", code, n)));
    if (!errors.isEmpty()) {
      sb.append("\n  errors:\n");
      errors.forEach((error, n) -> sb.append("    ").append(n).append(" x ").append(error).append('\n'));
    }
    sb.append(String.format(Locale.ROOT,
      "%n  expected at the node: sum(count of events) %d + duplicates %d + rejected %d = %d alerts sent%s%n",
      validAlerts, duplicateAlerts, badAlerts, alertsSent, complete() ? "" : "  (INCOMPLETE RUN: not exact)"));
    return sb.toString();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  public JsonObject toJson() {
    JsonObject kinds = new JsonObject();
    new TreeMap<>(byKind).forEach((kind, c) ->
      kinds.put(kind, new JsonObject().put("messages", c.messages()).put("alerts", c.alerts())));
    JsonObject codes = new JsonObject();
    new TreeMap<>(byCode).forEach(codes::put);
    JsonObject statuses = new JsonObject();
    new TreeMap<>(httpStatus).forEach((status, n) -> statuses.put(Integer.toString(status), n));
    JsonObject errorCounts = new JsonObject();
    errors.forEach(errorCounts::put);
    return new JsonObject()
      .put("scenario", scenario)
      .put("transport", transport.cliName())
      .put("target", target)
      .put("seed", seed)
      .put("scale", scale)
      .put("complete", complete())
      .put("messages", new JsonObject()
        .put("planned", plannedMessages)
        .put("sent", messagesSent)
        .put("confirmed", messagesConfirmed)
        .put("unconfirmed", messagesUnconfirmed))
      .put("alerts", new JsonObject()
        .put("sent", alertsSent)
        .put("valid", validAlerts)
        .put("duplicates", duplicateAlerts)
        .put("bad", badAlerts)
        .put("confirmed", alertsConfirmed)
        .put("unconfirmed", alertsUnconfirmed))
      .put("expectedAtNode", new JsonObject()
        .put("eventCountSum", validAlerts)
        .put("duplicates", duplicateAlerts)
        .put("rejected", badAlerts))
      .put("byKind", kinds)
      .put("byCode", codes)
      .put("http", new JsonObject()
        .put("status", statuses)
        .put("accepted", httpAccepted)
        .put("rejected", httpRejected)
        .put("unavailable", httpUnavailable)
        .put("answersWithoutCounts", httpAnswersWithoutCounts))
      .put("resent", new JsonObject().put("messages", retries).put("alerts", alertsResent))
      .put("skippedKinds", new JsonArray(List.copyOf(skippedKinds)))
      .put("errors", errorCounts)
      .put("elapsedMs", elapsed.toMillis())
      .put("messagesPerSecond", Math.round(messagesPerSecond() * 10) / 10.0)
      .put("alertsPerSecond", Math.round(alertsPerSecond() * 10) / 10.0);
  }
}
