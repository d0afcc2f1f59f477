package org.csp.edge.history;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.RollupBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code flushInterval}: this member's rollups (cumulative batches) into the shared map, then the map's
 * recent batches, this member's and the others', into the store, newest flush wins; once in a while the
 * retention sweep. So with one PostgreSQL every member writes the region's batches (a member that died has its
 * last flush written by the others), and with the embedded store every member keeps the region's history itself.
 * All of it on one worker thread, where the reports read the store too: never on an event loop.
 */
public final class RollupFlusher extends VerticleBase {
  /** The shared map: one entry per member boot and period, each with a time to live. */
  public static final String MAP = "csp.rollups";
  private static final Logger log = LoggerFactory.getLogger(RollupFlusher.class);

  /**
   * @param flushInterval how often batches are shared and stored
   * @param shareFor how long an entry stays in the shared map after its last flush (members down for less catch up)
   * @param sweepInterval how often the retention sweep runs
   */
  public record Settings(Duration flushInterval, Duration shareFor, Duration sweepInterval, Duration hourlyRetention,
      Duration dailyRetention) {}

  private final AlertRollups rollups;
  private final HazelcastInstance hazelcast;
  private final Callable<RollupStore> opener;
  private final Settings settings;
  private final LongSupplier clock;
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private WorkerExecutor worker;
  private RollupStore store;
  private long timer = -1;
  private long lastSweep;
  private boolean caughtUp;
  private Future<Void> running = Future.succeededFuture();

  public RollupFlusher(AlertRollups rollups, HazelcastInstance hazelcast, Callable<RollupStore> opener, Settings settings,
      LongSupplier clock) {
    this.rollups = rollups;
    this.hazelcast = hazelcast;
    this.opener = opener;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor("csp-rollup-store", 1);
    // Opened on the store's worker while the node goes on starting (Flyway's migration takes seconds on a busy
    // machine); reports and flushes queue behind it on that one thread. A store that cannot be reached does not
    // keep the node from taking alerts: counted in memory meanwhile, opened again at every flush.
    worker.executeBlocking(() -> openStore(), true).onFailure(e -> log.error(
        "the rollup store cannot be opened ({}); retried at every flush, counts kept in memory meanwhile", e.getMessage()));
    timer = vertx.setPeriodic(settings.flushInterval().toMillis(), id -> flush());
    return Future.succeededFuture();
  }

  private RollupStore openStore() throws Exception {
    if (store == null) {
      store = opener.call();
      log.info("rollups stored in {} every {}", store.redacted(), settings.flushInterval());
    }
    return store;
  }

  /** Flushes now (once the flush under way, if any, is done); completes when the store has it. */
  public Future<Void> flush() {
    running = running.transform(ar -> worker.<Void>executeBlocking(() -> {
      flushNow();
      return null;
    }, true).onFailure(e -> {
      failures.incrementAndGet();
      log.warn("rollup flush failed (retried at the next): {}", e.getMessage());
    }));
    return running;
  }

  /** Runs the store work on the store's worker: what the reports do. */
  public <T> Future<T> withStore(java.util.function.Function<RollupStore, T> work) {
    return worker.executeBlocking(() -> work.apply(openStore()), true);
  }

  private void flushNow() throws Exception {
    IMap<String, byte[]> shared = hazelcast.getMap(MAP);
    List<RollupBatch> own = rollups.flush();
    // Shared first: the map keeps them while the store is away.
    for (RollupBatch b : own) shared.set(b.key(), b.encode(), settings.shareFor().toMillis(), TimeUnit.MILLISECONDS);
    RollupStore store = openStore();
    for (RollupBatch b : own) store.write(b);
    long now = clock.getAsLong();
    List<String> keys = new ArrayList<>();
    String ownPrefix = rollups.source() + "|"; // written above: only the other members' batches are copied in
    for (String key : shared.keySet()) {
      if (!key.startsWith(ownPrefix) && (!caughtUp || recent(key, now))) keys.add(key);
    }
    Map<String, byte[]> entries = shared.getAll(Set.copyOf(keys));
    for (byte[] image : entries.values()) store.write(RollupBatch.decode(image));
    caughtUp = true;
    flushes.incrementAndGet();
    if (now - lastSweep >= settings.sweepInterval().toMillis()) {
      int n = store.sweep(now - settings.hourlyRetention().toMillis(), now - settings.dailyRetention().toMillis());
      lastSweep = now;
      if (n > 0) log.info("rollup retention: {} rows past their retention deleted", n);
    }
  }

  /** Whether an entry's period can still change: the current and the previous hour and day. */
  private boolean recent(String key, long now) {
    String[] parts = key.split("\\|");
    Period p = Period.valueOf(parts[parts.length - 2]);
    long start = Long.parseLong(parts[parts.length - 1]);
    return start >= p.startOf(now) - p.millis() - settings.flushInterval().toMillis();
  }

  public long flushes() {
    return flushes.get();
  }

  public long failures() {
    return failures.get();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    // A clean stop stores what was counted since the last flush.
    return flush().recover(e -> Future.succeededFuture())
        .compose(v -> worker.executeBlocking(() -> {
          if (store != null) store.close();
          return null;
        }, true))
        .onComplete(ar -> worker.close());
  }
}
