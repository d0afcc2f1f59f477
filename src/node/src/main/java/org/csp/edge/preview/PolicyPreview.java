package org.csp.edge.preview;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.csp.edge.decision.AlertPolicy;

/**
 * What a proposed policy would have done with this member's recent traffic ({@link RecentTraffic}), beside what the
 * policy in force does with the same alerts: both sides are replays ({@link PolicyReplay}) of the same record, so
 * they share its approximation and differ only by the policy. Blocking and bounded by {@code timeout}: run it on a
 * worker.
 */
public final class PolicyPreview {
  /** What the figures are, in a sentence the answer carries (operations.md repeats it). */
  static final String APPROXIMATION = "Both sides replay the same record of this member's decided alerts only (not the"
      + " other members'), in arrival order, from a fresh state: hubs start the window with no storm and the regional"
      + " background starts cold. When the record was full it keeps a uniform sample per time slice (sampled < 1):"
      + " the figures are of the sample, and rates, hence storms, are lower than the traffic's. Silences are not"
      + " replayed; regional groups are counted as grouped alerts, not as group events. Open periods are flushed at"
      + " the window's end.";

  private final RecentTraffic traffic;
  private final Supplier<AlertPolicy> current;
  private final IntSupplier members;
  private final LongSupplier clock;
  private final Duration timeout;

  public PolicyPreview(RecentTraffic traffic, Supplier<AlertPolicy> current, IntSupplier members, LongSupplier clock,
      Duration timeout) {
    this.traffic = traffic;
    this.current = current;
    this.members = members;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Replays the record under the policy in force and under {@code proposed}; throws {@link PolicyReplay.TooLong}. */
  public JsonObject preview(AlertPolicy proposed) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RecentTraffic.Snapshot s = traffic.snapshot(clock.getAsLong());
    int n = Math.max(1, members.getAsInt());
    PolicyReplay.Outcome now = PolicyReplay.replay(s.alerts(), s.to(), current.get(), n, deadline);
    PolicyReplay.Outcome then = PolicyReplay.replay(s.alerts(), s.to(), proposed, n, deadline);
    return new JsonObject()
        .put("window", new JsonObject().put("from", Instant.ofEpochMilli(s.from()).toString())
            .put("to", Instant.ofEpochMilli(s.to()).toString()))
        .put("alertsSeen", s.seen())
        .put("alertsReplayed", s.alerts().size())
        .put("sampled", s.sampled())
        .put("approximation", APPROXIMATION)
        .put("current", json(now))
        .put("proposed", json(then));
  }

  static JsonObject json(PolicyReplay.Outcome o) {
    return new JsonObject()
        .put("verdicts", new JsonObject(new java.util.LinkedHashMap<>(o.verdicts())))
        .put("events", new JsonObject(new java.util.LinkedHashMap<>(o.events())))
        .put("alertsInSummaries", o.alertsInSummaries())
        .put("storms", new JsonObject(new java.util.LinkedHashMap<>(o.storms())))
        .put("regionalBursts", new JsonObject(new java.util.LinkedHashMap<>(o.regionalBursts())));
  }
}
