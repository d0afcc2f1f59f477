package org.csp.edge.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

/** The register's window is merged whole in memory: past its bound of model and code pairs it is refused, not built. */
class WindowFiguresTest {
  private static final long T0 = Instant.parse("2026-12-01T10:15:00Z").toEpochMilli();

  @Test
  void aWindowOfMorePairsThanItsBoundIsRefused(@TempDir Path dir) {
    Sketches sketches = new Sketches(12, 64);
    AlertRollups rollups = new AlertRollups("n/1", sketches, new AtomicLong(T0)::get, 1000, Duration.ofMinutes(2));
    for (int i = 0; i < 50; i++) {
      String hub = String.format("00-1B-C5-0C-00-00-00-%02X", i);
      rollups.decided(new Alert(hub, hub, "ESME", "8F3E", i, "2026-12-01T10:15:00Z", T0, new Dmc("Acme", "M" + i, "1"), null),
          Verdict.FORWARD);
    }
    long hour = Period.HOUR.startOf(T0);
    try (RollupStore store = RollupStore.open("jdbc:h2:file:" + dir.resolve("rollups").toAbsolutePath(), "sa", "")) {
      for (RollupBatch b : rollups.flush()) store.write(b);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> WindowFigures.read(store, sketches, hour, hour + Period.HOUR.millis(), 40));
      assertTrue(e.getMessage().contains("more than 40 device model and code pairs"), e.getMessage());
      assertEquals(50, WindowFigures.read(store, sketches, hour, hour + Period.HOUR.millis(), 50).size());
    }
    assertTrue(WindowFigures.MAX_PAIRS >= 1);
  }
}
