package org.csp.edge.consolidation;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock-driven side of consolidation: summaries when a period is over, storm ends after a quiet period, and
 * regional groups when their short wait is over. Runs every sweep interval, visiting only hubs that storm.
 */
public final class StormSweeper extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StormSweeper.class);

  private final HubStateStore hubs;
  private final RegionalBursts regional;
  private final StormRegistry storms;
  private final AlertPipeline pipeline;
  private final NodeClock clock;
  private final Supplier<AlertPolicy> policy;
  private final Duration interval;
  private long timer = -1;
  private boolean sweeping;

  public StormSweeper(HubStateStore hubs, RegionalBursts regional, StormRegistry storms, AlertPipeline pipeline,
      NodeClock clock, Supplier<AlertPolicy> policy, Duration interval) {
    this.hubs = hubs;
    this.regional = regional;
    this.storms = storms;
    this.pipeline = pipeline;
    this.clock = clock;
    this.policy = policy;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> {
      // One sweep at a time: a slow sweep (many storming hubs) must not pile up behind itself.
      if (sweeping) return;
      sweeping = true;
      sweep(false).onComplete(ar -> sweeping = false);
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /**
   * Settles what is due. With {@code flushOpen} every open summary period and group is emitted now: used when
   * the last member of the cluster stops, so that no count stays behind in memory.
   */
  public Future<Void> sweep(boolean flushOpen) {
    long now = clock.millis();
    AlertPolicy p = policy.get();
    List<Future<?>> work = new ArrayList<>();
    for (Map.Entry<String, Object> due : storms.due(now, flushOpen)) {
      String hub = due.getKey();
      work.add(hubs.settle(hub, now, p, flushOpen, context)
          .onSuccess(verdicts -> {
            storms.settled(hub, due.getValue(), verdicts);
            verdicts.events().forEach(pipeline::emitStorm);
          })
          .onFailure(e -> log.warn("could not settle hub {} (will retry next sweep): {}", hub, e.toString())));
    }
    List<RegionalEvent> regionalEvents = new ArrayList<>();
    regional.settle(now, p, flushOpen, regionalEvents);
    regionalEvents.forEach(pipeline::emitRegional);
    return Future.join(work).mapEmpty();
  }
}
