package org.csp.edge.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how late the event loops run their timers: one instance per event loop (deploy as many instances as
 * there are loops), each ticking every {@code interval} and recording how late the tick came. A blocked loop shows
 * as a growing delay and a stale last tick, which liveness reports.
 */
public final class EventLoopProbe extends VerticleBase {
  private final Duration interval;
  private final Readings readings;
  private long timer = -1;
  private long expectedAt;

  /** Shared by all instances: the worst recent delay, and the oldest last tick among the loops. */
  public static final class Readings {
    private final AtomicLong worstDelayNanos = new AtomicLong();
    private final java.util.Map<Object, Long> lastTick = new java.util.concurrent.ConcurrentHashMap<>();

    /** The largest delay seen since the last call (a gauge read resets it, so it shows recent trouble only). */
    public double takeWorstDelaySeconds() {
      return worstDelayNanos.getAndSet(0) / 1e9;
    }

    public double peekWorstDelaySeconds() {
      return worstDelayNanos.get() / 1e9;
    }

    /** How long ago the least recently ticking loop ticked. */
    public Duration stalest() {
      long now = System.nanoTime();
      long oldest = lastTick.values().stream().mapToLong(Long::longValue).min().orElse(now);
      return Duration.ofNanos(now - oldest);
    }
  }

  public EventLoopProbe(Duration interval, Readings readings) {
    this.interval = interval;
    this.readings = readings;
  }

  @Override
  public Future<?> start() {
    schedule();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    readings.lastTick.remove(this);
    return Future.succeededFuture();
  }

  private void schedule() {
    expectedAt = System.nanoTime() + interval.toNanos();
    timer = vertx.setTimer(interval.toMillis(), id -> {
      long now = System.nanoTime();
      readings.worstDelayNanos.accumulateAndGet(Math.max(0, now - expectedAt), Math::max);
      readings.lastTick.put(this, now);
      schedule();
    });
  }
}
