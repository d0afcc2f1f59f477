package org.csp.edge.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs one step against a hop: offers a rate for the step's length while sampling CPU and heap, stops offering, waits
 * for everything in flight to arrive (so that every latency of the step is counted and the next step starts clean),
 * then judges the step and prints a progress line.
 */
final class StepRunner {
  private static final long SAMPLE_EVERY_MS = 250;
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  private final String scenario;
  private final Hop hop;
  private final LoadPublishers publishers;
  private final FeedSubscriber feed;
  private final ResourceSampler sampler;
  private final Traffic traffic;
  private final KeepUpRule rule;
  private final Duration length;
  private final PrintStream progress;
  private int stepNumber;

  StepRunner(String scenario, Hop hop, LoadPublishers publishers, FeedSubscriber feed, ResourceSampler sampler,
      Traffic traffic, KeepUpRule rule, Duration length, PrintStream progress) {
    this.scenario = scenario;
    this.hop = hop;
    this.publishers = publishers;
    this.feed = feed;
    this.sampler = sampler;
    this.traffic = traffic;
    this.rule = rule;
    this.length = length;
    this.progress = progress;
  }

  /**
   * Steps that are not judged: the first seconds of a hop run with cold JIT-compiled code and cold connections, and
   * would make the start rate look too fast. Repeated until one keeps up, at most {@link #WARM_UP_STEPS} times: a
   * first scenario on a fresh JVM was seen to need more than one (PUBACK p99 704 ms, then 114 ms, at 1,000 alerts/s),
   * and a ladder starting on a cold node halves down to a rate it then never leaves.
   */
  void warmUp(double offered, Duration warmUpLength) {
    for (int i = 0; i < WARM_UP_STEPS; i++) {
      if (run(offered, "warm-up", warmUpLength).verdict().keptUp()) return;
    }
  }

  static final int WARM_UP_STEPS = 4;

  StepResult run(double offered, String purpose) {
    return run(offered, purpose, length);
  }

  private StepResult run(double offered, String purpose, Duration length) {
    stepNumber++;
    long messagesBefore = feed.counts().messages();
    publishers.takeLatencies(); // stragglers of an earlier step's failed drain belong to no step
    feed.takeLatencies();

    sampler.begin();
    long start = System.nanoTime();
    publishers.begin(traffic.at(offered));
    long end = start + length.toNanos();
    for (long now = start; now < end; now = System.nanoTime()) {
      Blocking.sleep(Math.max(1, Math.min(SAMPLE_EVERY_MS, (end - now) / 1_000_000)));
      sampler.sample();
    }
    StepSend send = publishers.end();
    double seconds = (System.nanoTime() - start) / 1e9;
    ResourceUse resources = sampler.end();
    long backlogAtEnd = hop.backlog(feed.counts(), publishers.totals());

    long drainStart = System.nanoTime();
    boolean drained = awaitDrained();
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
    Percentiles puback = publishers.takeLatencies().percentiles();
    Percentiles endToEnd = feed.takeLatencies().percentiles();
    long upstream = feed.counts().messages() - messagesBefore;
    Verdict verdict = rule.judge(offered, seconds, send, puback, upstream, backlogAtEnd, drained);
    StepResult result = new StepResult(purpose, offered, seconds, send, puback, endToEnd, upstream, backlogAtEnd,
        drained, drainSeconds, resources, verdict);
    print(result);
    return result;
  }

  private boolean awaitDrained() {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (publishers.inFlight() == 0 && hop.backlog(feed.counts(), publishers.totals()) == 0) return true;
      Blocking.sleep(20);
    }
    return false;
  }

  private void print(StepResult r) {
    if (progress == null) return;
    ResourceUse use = r.resources();
    progress.printf(Locale.ROOT, "[%s] %-8s %-9s step %2d: offered %9s/s -> acked %9s/s | PUBACK p50 %6s p99 %6s ms"
            + " | e2e p99 %6s ms | upstream %8s msg/s | CPU JVM %3.0f%% (generator %2.0f%%; hop threads %2.0f%% in kernel, %2.0f%% GC)"
            + " mosquitto %2.0f%% | hop %5.1f us, %4.2f switches /alert | heap %5.0f MB | %s%n",
        scenario, hop.label(), r.purpose(), stepNumber, Numbers.rate(r.offered()), Numbers.rate(r.achieved()),
        Numbers.ms(r.pubackMs().p50()), Numbers.ms(r.pubackMs().p99()), Numbers.ms(r.endToEndMs().p99()),
        Numbers.rate(r.upstreamPerSecond()), use.jvmCpu(), use.generatorCpu(), use.hopKernelShare() * 100, use.hopGcShare() * 100,
        use.mosquittoCpu(), r.hopMicrosPerAlert(), r.hopSwitchesPerAlert(), use.heapMaxMb(),
        r.verdict().keptUp() ? "kept up" : "FELL BEHIND: " + r.verdict().why());
  }
}
