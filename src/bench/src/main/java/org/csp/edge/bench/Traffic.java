package org.csp.edge.bench;

import java.util.List;

/** A scenario's streams, opened once per hop so that sequences (and so counters) continue from step to step. */
interface Traffic {

  /** The streams and their rates for an offered total of {@code alertsPerSecond}. */
  List<StreamShare> at(double alertsPerSecond);

  /** Alerts the latency probe has sent: taken out when judging the scenario's own upstream reduction. */
  long probeAlerts();
}
