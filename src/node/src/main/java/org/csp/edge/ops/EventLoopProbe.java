package org.csp.edge.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

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

  /**
   * Shared by all instances: the worst delay over a sliding window, and the oldest last tick among the loops. The
   * window is kept as {@link #SLOTS} slots, each the maximum of its share of the window; a read takes the maximum of
   * the slots still inside the window and changes nothing, so two scrapers (or a scraper and /health) see the same
   * value, and a stall shows for a whole window whatever the scrape interval.
   */
  public static final class Readings {
    /** Slots per window: the window slides in steps of a sixth of it. */
    static final int SLOTS = 6;
    private final long slotNanos;
    private final long[] slotMax = new long[SLOTS];
    private final long[] slotIndex = new long[SLOTS];
    private final java.util.Map<Object, Long> lastTick = new java.util.concurrent.ConcurrentHashMap<>();

    public Readings(Duration window) {
      this.slotNanos = Math.max(1, window.toNanos() / SLOTS);
      java.util.Arrays.fill(slotIndex, Long.MIN_VALUE);
    }

    /** A tick came {@code delayNanos} late (a few ticks a second per loop: a lock costs nothing here). */
    synchronized void record(long delayNanos, long nowNanos) {
      long index = nowNanos / slotNanos;
      int i = (int) Math.floorMod(index, (long) SLOTS);
      if (slotIndex[i] != index) {
        slotIndex[i] = index;
        slotMax[i] = 0;
      }
      slotMax[i] = Math.max(slotMax[i], delayNanos);
    }

    /** The largest delay within the window, in seconds; reading it resets nothing. */
    public double worstRecentDelaySeconds() {
      return worstRecentDelayNanos(System.nanoTime()) / 1e9;
    }

    synchronized long worstRecentDelayNanos(long nowNanos) {
      long index = nowNanos / slotNanos;
      long worst = 0;
      for (int i = 0; i < SLOTS; i++) {
        if (slotIndex[i] > index - SLOTS) worst = Math.max(worst, slotMax[i]);
      }
      return worst;
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
      readings.record(Math.max(0, now - expectedAt), now);
      readings.lastTick.put(this, now);
      schedule();
    });
  }
}
