package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/**
 * One step of one hop at one offered rate.
 *
 * @param purpose          "ladder" (looking for the maximum) or "half-rate" (latency at half the node's maximum)
 * @param offered          alerts per second offered (scenario, probe and bystanders together)
 * @param seconds          how long alerts were offered
 * @param pubackMs         publish to PUBACK, every message of the step
 * @param endToEndMs       raisedAt to arrival at the subscriber: forwarded alerts (node) or every message (bare hop)
 * @param upstreamMessages messages the subscriber received during the step and its drain
 * @param backlogAtEnd     see {@link Hop#backlog}, when the offering stopped
 * @param drainSeconds     from the end of the offering until nothing was in flight or waiting
 * @param verdict          whether the hop kept up, and if not why
 */
record StepResult(String purpose, double offered, double seconds, StepSend send, Percentiles pubackMs,
    Percentiles endToEndMs, long upstreamMessages, long backlogAtEnd, boolean drained, double drainSeconds,
    ResourceUse resources, Verdict verdict) {

  /** Alerts per second PUBACKed while the step lasted. */
  double achieved() {
    return send.ackedAlerts() / seconds;
  }

  /** See {@link ResourceUse#hopMicrosPerAlert}: at the rate PUBACKed in this step. */
  double hopMicrosPerAlert() {
    return resources.hopMicrosPerAlert(achieved());
  }

  /** See {@link ResourceUse#hopSwitchesPerAlert}: at the rate PUBACKed in this step. */
  double hopSwitchesPerAlert() {
    return resources.hopSwitchesPerAlert(achieved());
  }

  double upstreamPerSecond() {
    return upstreamMessages / seconds;
  }

  JsonObject toJson(boolean node) {
    return new JsonObject()
        .put("purpose", purpose)
        .put("offeredAlertsPerSecond", Math.round(offered))
        .put("achievedAlertsPerSecond", Math.round(achieved()))
        .put("seconds", Numbers.round3(seconds))
        .put("sentFraction", Numbers.round3(send.sentFraction()))
        .put("pubackMs", pubackMs.toJson())
        .put(node ? "forwardedEndToEndMs" : "endToEndMs", endToEndMs.toJson())
        .put("upstreamMessages", upstreamMessages)
        .put("backlogAtEnd", backlogAtEnd)
        .put("drained", drained)
        .put("drainSeconds", Numbers.round3(drainSeconds))
        .mergeIn(resources.toJson(node))
        .put("hopCpuMicrosPerAlert", Numbers.round1(hopMicrosPerAlert()))
        .put("hopVoluntarySwitchesPerAlert", Numbers.round3(hopSwitchesPerAlert()))
        .put("keptUp", verdict.keptUp())
        .put("why", verdict.why());
  }
}
