package org.csp.edge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.Verdict;
import org.csp.edge.history.RollupStore;
import org.csp.edge.history.StoredCell;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.RollupBatch;
import org.csp.edge.rollup.Sketches;
import org.csp.edge.rollup.TopRow;
import org.csp.edge.support.PostgresProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rollup store on a real PostgreSQL (a private instance) and on the embedded H2 file: the schema migrates (and
 * again on an existing store), a batch replaces an older flush and never a newer one, sources add up, the
 * retention sweep deletes only what is past it, and what was written is there after the store is opened again.
 */
class RollupStoreTest {
  private static final long T0 = Instant.parse("2026-12-01T10:15:00Z").toEpochMilli();
  private static PostgresProcess postgres;

  record Target(String name, String url, String user, String password) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Target> stores() throws java.io.IOException {
    if (postgres == null) postgres = PostgresProcess.start();
    Path dir = java.nio.file.Files.createTempDirectory("rollup-store");
    String db = "rollups_" + System.nanoTime();
    return Stream.of(
        new Target("H2", "jdbc:h2:file:" + dir.resolve("h2-" + System.nanoTime()).resolve("rollups").toAbsolutePath(), "sa", ""),
        new Target("PostgreSQL", postgres.createDatabase(db), PostgresProcess.USER, PostgresProcess.PASSWORD));
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) postgres.close();
  }

  private static AlertRollups rollups(String source, AtomicLong clock) {
    return new AlertRollups(source, new Sketches(12, 64), clock::get, 10_000, Duration.ofMinutes(2));
  }

  private static Alert alert(int hub, String code) {
    return new Alert(String.format("00-1B-C5-0C-00-00-00-%02X", hub), "00-1B-C5-0C-01-00-00-01", "ESME", code, 1,
        "2026-12-01T10:15:00Z", T0, new Dmc("Acme", "M1", "1.2.3"), null);
  }

  private static long count(RollupStore store, Period p, long from, long to) {
    List<StoredCell> cells = new ArrayList<>();
    store.cells(p, from, to, cells::add);
    return cells.stream().mapToLong(c -> c.row().tally().count()).sum();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void batchesReplaceOlderFlushesAndSourcesAddUp(Target t) {
    AtomicLong clock = new AtomicLong(T0);
    AlertRollups a = rollups("a/1", clock);
    AlertRollups b = rollups("b/1", clock);
    long hour = Period.HOUR.startOf(T0);
    try (RollupStore store = RollupStore.open(t.url(), t.user(), t.password())) {
      for (int i = 0; i < 10; i++) a.decided(alert(i, "8F3E"), Verdict.FORWARD);
      List<RollupBatch> first = a.flush();
      for (RollupBatch x : first) assertTrue(store.write(x));
      for (int i = 0; i < 5; i++) a.decided(alert(i, "8F3E"), Verdict.CONSOLIDATED);
      List<RollupBatch> second = a.flush();
      for (RollupBatch x : second) assertTrue(store.write(x));
      for (RollupBatch x : first) assertFalse(store.write(x), "an older flush arriving late changes nothing");
      for (RollupBatch x : second) assertFalse(store.write(x), "the same flush twice counts once");
      for (int i = 0; i < 7; i++) b.decided(alert(i, "8D01"), Verdict.DUPLICATE);
      for (RollupBatch x : b.flush()) assertTrue(store.write(x));
      assertEquals(22, count(store, Period.HOUR, hour, hour + Period.HOUR.millis()));
      assertEquals(22, count(store, Period.DAY, Period.DAY.startOf(T0), Period.DAY.startOf(T0) + Period.DAY.millis()));
      List<TopRow> tops = new ArrayList<>();
      store.tops(Period.HOUR, hour, hour + Period.HOUR.millis(), "8F3E", tops::add);
      assertEquals(List.of("hubs", "devices"), tops.stream().map(TopRow::of).sorted(java.util.Comparator.reverseOrder()).toList());
    }
    try (RollupStore again = RollupStore.open(t.url(), t.user(), t.password())) {
      assertEquals(22, count(again, Period.HOUR, hour, hour + Period.HOUR.millis()), "kept across a reopen (a restart)");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void theSweepDeletesOnlyWhatIsPastItsRetention(Target t) {
    AtomicLong clock = new AtomicLong(T0);
    AlertRollups a = rollups("a/1", clock);
    try (RollupStore store = RollupStore.open(t.url(), t.user(), t.password())) {
      a.decided(alert(1, "8F3E"), Verdict.FORWARD);
      for (RollupBatch x : a.flush()) store.write(x);
      clock.set(T0 + Duration.ofDays(3).toMillis());
      a.decided(alert(1, "8F3E"), Verdict.FORWARD);
      for (RollupBatch x : a.flush()) store.write(x);
      long now = clock.get();
      // Hours kept 2 days, days kept 10: the first hour goes, its day stays.
      store.sweep(now - Duration.ofDays(2).toMillis(), now - Duration.ofDays(10).toMillis());
      assertEquals(1, count(store, Period.HOUR, 0, Long.MAX_VALUE));
      assertEquals(2, count(store, Period.DAY, 0, Long.MAX_VALUE));
      store.sweep(now - Duration.ofDays(2).toMillis(), now - Duration.ofDays(1).toMillis());
      assertEquals(1, count(store, Period.DAY, 0, Long.MAX_VALUE), "the day three days ago is past a one-day retention");
    }
  }
}
