package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * Everything measured for one scenario: the node, the relay (the floor of the node's stack, {@link MqttRelay}), the
 * bare hop, the node's figures as ratios to the bare hop and to the relay, what went upstream, and the accounting.
 *
 * @param problem the first thing that went wrong in the harness (a closed connection, a hop that did not drain), or null
 * @param consoleLive what the console's live stream sent while the node ran the scenario ({@link LiveWatch})
 */
record ScenarioResult(BenchScenario scenario, HopResult node, HopResult relay, HopResult bare, UpstreamFigures upstream,
    Accounting accounting, RoundTrips roundTrips, String problem, LiveWatch.Figures consoleLive) {

  /** Node's maximum sustained rate over the bare hop's (a lower bound of the bare hop's when it was capped). */
  double maxRateRatio() {
    return rateRatio(node, bare);
  }

  /** The relay's maximum sustained rate over the bare hop's: how much of the bare hop the node's stack alone keeps. */
  double relayToBareRatio() {
    return rateRatio(relay, bare);
  }

  /** Node's maximum sustained rate over the relay's: how much of its own stack's floor the node keeps. */
  double nodeToRelayRatio() {
    return rateRatio(node, relay);
  }

  private static double rateRatio(HopResult hop, HopResult baseline) {
    return baseline.maxSustained() > 0 ? hop.maxSustained() / baseline.maxSustained() : Double.NaN;
  }

  /** PUBACK p99 of the node over the bare hop's, both at half the node's maximum rate. */
  double pubackP99Ratio() {
    if (node.halfRate() == null || bare.halfRate() == null) return Double.NaN;
    return node.halfRate().pubackMs().p99() / bare.halfRate().pubackMs().p99();
  }

  double pubackP50Ratio() {
    if (node.halfRate() == null || bare.halfRate() == null) return Double.NaN;
    return node.halfRate().pubackMs().p50() / bare.halfRate().pubackMs().p50();
  }

  /** End-to-end p99 of a forwarded alert through the node minus the bare hop's, at half the node's maximum rate. */
  double addedEndToEndP99() {
    if (node.halfRate() == null || bare.halfRate() == null) return Double.NaN;
    return node.halfRate().endToEndMs().p99() - bare.halfRate().endToEndMs().p99();
  }

  double addedEndToEndP50() {
    if (node.halfRate() == null || bare.halfRate() == null) return Double.NaN;
    return node.halfRate().endToEndMs().p50() - bare.halfRate().endToEndMs().p50();
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("scenario", scenario.cliName())
        .put("description", scenario.description())
        .put("node", node.toJson(true))
        .put("relay", relay.toJson(false))
        .put("bareHop", bare.toJson(false))
        .put("ratiosToBareHop", new JsonObject()
            .put("maxSustainedRate", Numbers.round3(maxRateRatio()))
            .put("bareHopCappedByMaxRate", bare.climb().capped())
            .put("pubackP50AtNodeHalfRate", Numbers.round3(pubackP50Ratio()))
            .put("pubackP99AtNodeHalfRate", Numbers.round3(pubackP99Ratio()))
            .put("addedEndToEndP50MsAtNodeHalfRate", Numbers.round3(addedEndToEndP50()))
            .put("addedEndToEndP99MsAtNodeHalfRate", Numbers.round3(addedEndToEndP99()))
            .put("relayMaxSustainedRate", Numbers.round3(relayToBareRatio())))
        .put("ratiosToRelay", new JsonObject()
            .put("maxSustainedRate", Numbers.round3(nodeToRelayRatio()))
            .put("relayCappedByMaxRate", relay.climb().capped()))
        .put("hopCpuMicrosPerAlertAtNodeHalfRate", byHop(HopResult::microsPerAlertAtHalfRate, Numbers::round1))
        .put("hopVoluntarySwitchesPerAlertAtNodeHalfRate", byHop(HopResult::switchesPerAlertAtHalfRate, Numbers::round3))
        .put("upstream", upstream.toJson())
        .put("accounting", accounting.toJson())
        .put("hazelcastRoundTrips", roundTrips.toJson())
        .put("consoleLive", consoleLive == null ? null : consoleLive.toJson())
        .put("problem", problem);
  }

  /** One figure of each hop, {@code {"node": x, "relay": x, "bareHop": x}}, rounded. */
  private JsonObject byHop(ToDoubleFunction<HopResult> figure, DoubleFunction<Double> round) {
    return new JsonObject().put("node", round.apply(figure.applyAsDouble(node)))
        .put("relay", round.apply(figure.applyAsDouble(relay))).put("bareHop", round.apply(figure.applyAsDouble(bare)));
  }
}
