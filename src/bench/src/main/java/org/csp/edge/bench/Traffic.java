package org.csp.edge.bench;

import java.util.List;

/** A scenario's streams, opened once per hop so that sequences (and so counters) continue from step to step. */
interface Traffic {

  /** The streams and their rates for an offered total of {@code alertsPerSecond}. */
  List<StreamShare> at(double alertsPerSecond);

  /** Alerts the latency probe has sent: taken out when judging the scenario's own upstream reduction. */
  long probeAlerts();

  /**
   * The region's background traffic that a node hears before the event (see {@link BenchScenario#LEAD_IN}),
   * drawn from the scenario's own streams so that its hubs' counters continue; null for scenarios without.
   */
  default MessageStream background() {
    return null;
  }
}
