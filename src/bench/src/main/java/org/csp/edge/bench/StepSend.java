package org.csp.edge.bench;

/**
 * What the publishers did during one step: alerts of the scenario's traffic due at the offered rate and actually
 * sent, and alerts (of all streams) whose PUBACK came while the step lasted.
 */
record StepSend(double dueAlerts, long sentAlerts, long ackedAlerts, long ackedMessages) {

  StepSend plus(StepSend o) {
    return new StepSend(dueAlerts + o.dueAlerts, sentAlerts + o.sentAlerts, ackedAlerts + o.ackedAlerts,
        ackedMessages + o.ackedMessages);
  }

  /** Sent as a fraction of due: below 1 when the publishers' windows were full, i.e. PUBACKs came too slowly. */
  double sentFraction() {
    return dueAlerts <= 0 ? 1 : sentAlerts / dueAlerts;
  }
}
