package org.csp.edge.bench;

import org.csp.edge.support.MosquittoProcess;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * One scenario, end to end: a fresh node (so that no state of another scenario is in its way and its accounting
 * stands alone) climbed to its maximum, a step at half of it, a graceful stop and the accounting check; then the
 * same traffic through the two baselines, the relay ({@link MqttRelay}) and the bare Mosquitto hop: for each a step at
 * the node's half rate, then the same climb.
 */
final class ScenarioBench {
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration SETTLE_QUIET = Duration.ofSeconds(5);
  private static final Duration WARM_UP = Duration.ofSeconds(2);

  private final BenchOptions options;
  private final GeneratorLoops loops;
  private final MosquittoProcess broker;
  private final PrintStream out;
  private final RateLadder ladder;
  private final KeepUpRule rule;
  private final ResourceSampler sampler;

  ScenarioBench(BenchOptions options, GeneratorLoops loops, MosquittoProcess broker, PrintStream out) {
    this.options = options;
    this.loops = loops;
    this.broker = broker;
    this.out = out;
    this.ladder = new RateLadder(options.maxRate(), options.refinements());
    this.rule = new KeepUpRule(options.p99BoundMs());
    this.sampler = new ResourceSampler(loops.threadIds(), loops.kernelThreadIds(), broker);
  }

  ScenarioResult run(BenchScenario scenario) {
    out.printf("%n== %s: %s%n", scenario.cliName(), scenario.description());
    NodeOutcome node = runNode(scenario);
    out.printf("[%s] node accounting, sum(count) + duplicates + rejected = sent: %s  %s%n", scenario.cliName(),
        node.accounting.text(), node.accounting.holds() ? "HOLDS" : "DOES NOT HOLD");
    double nodeHalfRate = node.hop.halfRate() == null ? Double.NaN : node.hop.halfRate().offered();
    // The baselines are expected to go at least as fast as the node: starting them there saves the steps below.
    double baselineStart = node.hop.best() == null ? options.startRate()
        : Math.max(options.startRate(), node.hop.best().offered());
    BaselineOutcome relay;
    try (MqttRelay r = MqttRelay.start(broker, options.window())) {
      relay = runBaseline(scenario, PassThroughHop.relay(r), baselineStart, nodeHalfRate);
    }
    BaselineOutcome bare = runBaseline(scenario, PassThroughHop.bare(broker), baselineStart, nodeHalfRate);
    return new ScenarioResult(scenario, node.hop, relay.hop, bare.hop, node.upstream, node.accounting, node.roundTrips,
        firstOf(node.problem, relay.problem, bare.problem), node.live);
  }

  private record NodeOutcome(HopResult hop, UpstreamFigures upstream, Accounting accounting, RoundTrips roundTrips,
      String problem, LiveWatch.Figures live) {}

  private record BaselineOutcome(HopResult hop, String problem) {}

  private NodeOutcome runNode(BenchScenario scenario) {
    BenchNode node = BenchNode.start(broker, options.nodes(), scenario.policy(options.maxRate()), options.journal(),
        options.rollups());
    try (FeedSubscriber feed = FeedSubscriber.start(loops.vertx(), loops.subscriberContext(), "127.0.0.1",
        broker.port(), node.feedFilter(), new UpstreamEventTally());
        LiveWatch live = LiveWatch.start(loops.vertx(), node.host(), node.httpPort())) {
      Traffic traffic = scenario.open(options.maxRate());
      LoadPublishers publishers = new LoadPublishers(loops, node.host(),
          node.mqttPorts(), "", options.connections(), options.window()).connect();
      StepRunner steps = new StepRunner(scenario.cliName(), new NodeHop(node), publishers, feed, sampler, traffic, rule,
          options.step(), out);
      UpstreamFigures.LeadIn leadIn = UpstreamFigures.LeadIn.NONE;
      if (traffic.background() != null && !options.smoke()) {
        new StepRunner(scenario.cliName(), new NodeHop(node), publishers, feed, sampler,
            backgroundOnly(traffic.background()), rule, BenchScenario.LEAD_IN, out)
            .run(BenchScenario.BACKGROUND_RATE, "background");
        leadIn = new UpstreamFigures.LeadIn(publishers.totals().alertsSent(), feed.counts().messages());
      }
      steps.warmUp(options.startRate(), warmUp());
      RateLadder.Climb climb = ladder.climb(options.startRate(), rate -> steps.run(rate, "ladder"));
      StepResult half = null;
      if (climb.best() != null && climb.drained()) {
        quiet();
        half = steps.run(Math.round(climb.best().offered() / 2), "half-rate");
      }
      PublisherTotals sent = publishers.totals();
      publishers.close();
      LiveWatch.Figures liveFigures = live.stop();
      out.printf("[%s] console live stream (GET /v1/live) over the node's climb: %s%n", scenario.cliName(), liveFigures.text());
      // Open summaries and groups go up only now: the node flushes them when its last member stops.
      node.stop();
      JsonObject status = node.status();
      FeedCounts counts = awaitSettled(feed, status, sent.alertsSent());
      Accounting accounting = new Accounting(counts.accountedAlerts(), status.getLong("duplicates"),
          status.getLong("rejected"), sent.alertsSent(), sent.alertsUnconfirmed());
      UpstreamFigures upstream = UpstreamFigures.of(sent.alertsSent(), counts, traffic.probeAlerts(), leadIn, status);
      RoundTrips roundTrips = RoundTrips.of(node.size(), status);
      out.printf("[%s] Hazelcast round trips per alert (%d members): %s remote invocations per alert, %s backup copies"
          + " per alert%n", scenario.cliName(), node.size(), Numbers.ratio(roundTrips.remotePerAlert()),
          Numbers.ratio(roundTrips.backupsPerAlert()));
      String problem = firstOf(sent.problem(), feed.problem(), climb.drained() ? null : "the node did not drain after a step");
      return new NodeOutcome(new HopResult("node", climb, half, sent), upstream, accounting, roundTrips, problem, liveFigures);
    } finally {
      node.stop();
    }
  }

  /** The region's background alone, for the lead-in before a regional event. */
  private static Traffic backgroundOnly(MessageStream background) {
    return new Traffic() {
      @Override
      public List<StreamShare> at(double alertsPerSecond) {
        return List.of(new StreamShare(background, alertsPerSecond, true));
      }

      @Override
      public long probeAlerts() {
        return 0;
      }
    };
  }

  private Duration warmUp() {
    Duration half = options.step().dividedBy(2);
    return half.compareTo(WARM_UP) < 0 ? half : WARM_UP;
  }

  /**
   * Before a latency step, the same for both hops: collect the garbage of the steps before, so that a GC pause they
   * left behind (up to ~100 ms on this machine) is not charged to the half rate.
   */
  private static void quiet() {
    System.gc();
    Blocking.sleep(200);
  }

  /** Waits until the subscriber has every event the node's counters promise, or nothing more arrives. */
  private FeedCounts awaitSettled(FeedSubscriber feed, JsonObject status, long alertsSent) {
    long expected = alertsSent - status.getLong("duplicates") - status.getLong("rejected");
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    FeedCounts last = feed.counts();
    long lastChange = System.nanoTime();
    while (last.accountedAlerts() < expected && System.nanoTime() < deadline
        && System.nanoTime() - lastChange < SETTLE_QUIET.toNanos()) {
      Blocking.sleep(100);
      FeedCounts now = feed.counts();
      if (now.messages() != last.messages()) lastChange = System.nanoTime();
      last = now;
    }
    return last;
  }

  private BaselineOutcome runBaseline(BenchScenario scenario, PassThroughHop hop, double startRate, double nodeHalfRate) {
    try (FeedSubscriber feed = FeedSubscriber.start(loops.vertx(), loops.subscriberContext(), "127.0.0.1",
        broker.port(), hop.feedFilter(), new PassThroughTally());
        LoadPublishers publishers = new LoadPublishers(loops, hop.host(), List.of(hop.port()), hop.publishPrefix(),
            options.connections(), options.window()).connect()) {
      Traffic traffic = scenario.open(options.maxRate());
      StepRunner steps = new StepRunner(scenario.cliName(), hop, publishers, feed, sampler, traffic, rule,
          options.step(), out);
      steps.warmUp(options.startRate(), warmUp());
      // Before the climb: after a saturating step the broker and the heap take a while to calm down, and the
      // latencies at half rate would measure that (seen: p99 75 ms at 438 alerts/s after the bare hop's top step).
      StepResult half = null;
      if (!Double.isNaN(nodeHalfRate)) {
        quiet();
        half = steps.run(nodeHalfRate, "half-rate");
      }
      RateLadder.Climb climb = ladder.climb(startRate, rate -> steps.run(rate, "ladder"));
      PublisherTotals sent = publishers.totals();
      long received = feed.counts().accountedAlerts();
      String lost = received == sent.alertsAcked() ? null
          : "the " + hop.label() + " delivered " + received + " of " + sent.alertsAcked() + " alerts acknowledged to the publishers";
      String problem = firstOf(sent.problem(), feed.problem(),
          climb.drained() ? lost : "the " + hop.label() + " did not drain after a step");
      return new BaselineOutcome(new HopResult(hop.label(), climb, half, sent), problem);
    }
  }

  private static String firstOf(String... problems) {
    for (String p : problems) if (p != null) return p;
    return null;
  }
}
