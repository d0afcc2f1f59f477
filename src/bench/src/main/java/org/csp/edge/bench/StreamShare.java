package org.csp.edge.bench;

/**
 * A stream and the alerts per second it is offered at.
 *
 * @param catchUp true for the scenario's traffic: alerts a publisher could not send on time stay owed (that backlog is
 *                how the benchmark sees a node falling behind); false for the latency probe, whose missed alerts
 *                are skipped so that a stall is not followed by a burst that would look like a regional storm
 */
record StreamShare(MessageStream stream, double alertsPerSecond, boolean catchUp) {}
