package org.csp.edge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.Verdict;
import org.csp.edge.history.RollupStore;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.RollupBatch;
import org.csp.edge.rollup.Sketches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report is built whole in memory: one that would hold more rows than an answer may is refused before it is built.
 * Before, one request over many device models took a healthy node to OutOfMemoryError.
 */
class AlertReportTest {
  private static final long T0 = Instant.parse("2026-12-01T10:15:00Z").toEpochMilli();

  @Test
  void aReportOfMoreRowsThanAnAnswerHoldsIsRefusedAndANarrowerOneAnswered(@TempDir Path dir) {
    Sketches sketches = new Sketches(12, 64);
    AtomicLong clock = new AtomicLong(T0);
    AlertRollups rollups = new AlertRollups("n/1", sketches, clock::get, 1000, Duration.ofMinutes(2));
    for (int i = 0; i < 120; i++) {
      String hub = String.format("00-1B-C5-0C-00-00-00-%02X", i);
      rollups.decided(new Alert(hub, hub, "ESME", "8F3E", i, "2026-12-01T10:15:00Z", T0,
          new Dmc("Acme", "M" + i, "1"), null), Verdict.FORWARD);
    }
    long hour = Period.HOUR.startOf(T0);
    try (RollupStore store = RollupStore.open("jdbc:h2:file:" + dir.resolve("rollups").toAbsolutePath(), "sa", "")) {
      for (RollupBatch b : rollups.flush()) store.write(b);
      AlertReport.TooManyRows refused = assertThrows(AlertReport.TooManyRows.class, () -> AlertReport.rows(store,
          sketches, Period.HOUR, hour, hour + Period.HOUR.millis(), Set.of("dmc"), null, null, 100));
      assertEquals(100, refused.limit);
      assertEquals(120, AlertReport.rows(store, sketches, Period.HOUR, hour, hour + Period.HOUR.millis(), Set.of("dmc"),
          null, null, 120).size());
      assertEquals(1, AlertReport.rows(store, sketches, Period.HOUR, hour, hour + Period.HOUR.millis(), Set.of("alertCode"),
          null, null, 100).size(), "by code alone: one row");
      // The top models merge every model in the range first: the same bound.
      assertThrows(AlertReport.TooManyRows.class, () -> TopReport.dmcs(store, sketches, Period.HOUR, hour,
          hour + Period.HOUR.millis(), null, 10, 100));
      assertEquals(10, TopReport.dmcs(store, sketches, Period.HOUR, hour, hour + Period.HOUR.millis(), null, 10, 120)
          .getJsonArray("rows").size());
    }
  }
}
