package org.csp.edge.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One hop's figures for one scenario: its climb to the maximum sustained rate, and a step at half the node's maximum
 * (the same offered rate for both hops, so latencies compare like with like).
 *
 * @param halfRate the step at half the node's maximum, or null when the node sustained no rate at all
 */
record HopResult(String label, RateLadder.Climb climb, StepResult halfRate, PublisherTotals publishers) {

  double maxSustained() {
    return climb.maxSustained();
  }

  /** The step of the maximum, for its latencies and CPU; null when none was kept up with. */
  StepResult best() {
    return climb.best();
  }

  /**
   * CPU time per alert of the hop (itself plus the broker) in its half-rate step, the same offered rate for all three
   * hops, so the figures compare what each costs the machine (see {@link ResourceUse#hopMicrosPerAlert}); NaN without one.
   */
  double microsPerAlertAtHalfRate() {
    return halfRate == null ? Double.NaN : halfRate.hopMicrosPerAlert();
  }

  /**
   * Voluntary context switches per alert of the hop's threads and the broker's in its half-rate step (see
   * {@link ResourceUse#hopSwitchesPerAlert}); NaN without one.
   */
  double switchesPerAlertAtHalfRate() {
    return halfRate == null ? Double.NaN : halfRate.hopSwitchesPerAlert();
  }

  JsonObject toJson(boolean node) {
    JsonArray steps = new JsonArray();
    climb.steps().forEach(s -> steps.add(s.toJson(node)));
    StepResult failure = climb.failure();
    return new JsonObject()
        .put("maxSustainedAlertsPerSecond", Math.round(maxSustained()))
        .put("cappedByMaxRate", climb.capped())
        .put("atMax", best() == null ? null : best().toJson(node))
        .put("saturation", failure == null ? null : new JsonObject()
            .put("offeredAlertsPerSecond", Math.round(failure.offered()))
            .put("achievedAlertsPerSecond", Math.round(failure.achieved()))
            .put("why", failure.verdict().why()))
        .put("atNodeHalfRate", halfRate == null ? null : halfRate.toJson(node))
        .put("steps", steps)
        .put("alertsSent", publishers.alertsSent())
        .put("alertsAcked", publishers.alertsAcked())
        .put("problem", publishers.problem());
  }
}
