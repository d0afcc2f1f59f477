package org.csp.edge.register;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.csp.edge.history.RollupFlusher;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.Sketches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes the register every {@code recomputeEvery} on the rollup store's worker (the store is read there, and
 * the statistics are CPU work that must not hold an event loop): the window's figures from the stored hourly
 * rollups, which every member's flushes bring together, so each member computes the same register for the region.
 * The window ends now and starts {@code window} before the end of the current hour: the current hour is in it, so
 * a storm shows while it happens. Also keeps the annotations of the map and the store in step.
 */
public final class RegisterRecompute extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RegisterRecompute.class);

  /** Runs a computation where the store is read (the rollup store's worker), and completes with its result. */
  interface StoreWork {
    Future<RegisterSnapshot> run(java.util.function.Function<org.csp.edge.history.RollupStore, RegisterSnapshot> work);
  }

  private final StoreWork store;
  private final Sketches sketches;
  private final StormRegister register;
  private final Annotations annotations;
  private final Duration window;
  private final Duration every;
  private final LongSupplier clock;
  /** Entries by status of the last computation: replaced whole, read by the metrics' scrapes. */
  private volatile Map<Status, Integer> counts;
  private volatile RegisterSnapshot latest;
  private Future<RegisterSnapshot> running;
  private long timer = -1;

  public RegisterRecompute(RollupFlusher flusher, Sketches sketches, StormRegister register, Annotations annotations,
      Duration window, Duration every, LongSupplier clock) {
    this(flusher::withStore, sketches, register, annotations, window, every, clock);
  }

  RegisterRecompute(StoreWork store, Sketches sketches, StormRegister register, Annotations annotations,
      Duration window, Duration every, LongSupplier clock) {
    this.store = store;
    this.sketches = sketches;
    this.register = register;
    this.annotations = annotations;
    this.window = window;
    this.every = every;
    this.clock = clock;
    Map<Status, Integer> none = new EnumMap<>(Status.class);
    for (Status s : Status.values()) none.put(s, 0);
    this.counts = none;
  }

  /** csp_register_entries{status}: the entries of the last computation, by status. */
  public void bindMetrics(MeterRegistry registry) {
    for (Status s : Status.values()) {
      Gauge.builder("csp.register.entries", () -> counts.get(s))
          .description("entries of the register of storm-causing device models, by status, as last computed")
          .tag("status", s.wireName()).register(registry);
    }
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(every.toMillis(), id -> recompute());
    recompute();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** The last computation, or the one under way if there is none yet. */
  Future<RegisterSnapshot> current() {
    RegisterSnapshot s = latest;
    return s != null ? Future.succeededFuture(s) : recompute();
  }

  StormRegister register() {
    return register;
  }

  /** Starts a computation unless one is under way (then its result); from the timer or a request. */
  synchronized Future<RegisterSnapshot> recompute() {
    if (running != null) return running;
    Future<RegisterSnapshot> computing = store.run(rollups -> {
      long now = clock.getAsLong();
      long to = now;
      long from = Period.HOUR.startOf(now) + Period.HOUR.millis() - window.toMillis();
      annotations.reconcile(rollups);
      List<Assessment> entries = register.assess(WindowFigures.read(rollups, sketches, from, to + 1), to - from);
      return new RegisterSnapshot(now, from, to, entries);
    });
    // Set before its end is handled: a computation that has already ended (the worker can be that quick) clears it at
    // once, where clearing first and setting after kept the ended one as running, and no computation ran again.
    running = computing;
    computing.onComplete(ar -> done(computing)).onSuccess(s -> {
      latest = s;
      Map<Status, Integer> n = new EnumMap<>(Status.class);
      for (Status st : Status.values()) n.put(st, 0);
      s.entries().forEach(a -> n.merge(a.status(), 1, Integer::sum));
      counts = n;
      log.debug("register recomputed: {} entries ({} confirmed, {} suspected)", s.entries().size(),
          n.get(Status.CONFIRMED), n.get(Status.SUSPECTED));
    }).onFailure(e -> log.warn("register: recompute failed (retried in {}): {}", every, e.getMessage()));
    return computing;
  }

  private synchronized void done(Future<RegisterSnapshot> computation) {
    if (running == computation) running = null;
  }
}
