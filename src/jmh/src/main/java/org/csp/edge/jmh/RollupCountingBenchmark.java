package org.csp.edge.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.Verdict;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Sketches;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the rollups add to each alert on the intake thread (AlertRollups.decided: the cell, two HLL updates, two
 * frequent-items updates), storm-shaped: one code, a few models, many devices; on 2 threads as on 2 event loops.
 * Compare with the node's CPU per alert (src/docs/performance.md): the rollups' budget is 5 % of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class RollupCountingBenchmark {
  private static final int DEVICES = 50_000;
  private Alert[] alerts;
  private AlertRollups rollups;
  private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

  @Setup
  public void setUp() {
    rollups = new AlertRollups("jmh/1", new Sketches(12, 128), System::currentTimeMillis, 100_000, Duration.ofMinutes(2));
    alerts = new Alert[DEVICES];
    for (int i = 0; i < DEVICES; i++) {
      alerts[i] = new Alert(String.format("00-1B-C5-0C-00-%02X-%02X-00", i / 256 % 256, i / 16 % 16),
          String.format("00-1B-C5-0C-01-%02X-%02X-%02X", i / 65536, i / 256 % 256, i % 256), "ESME", "8F3E", i,
          "2026-12-01T10:15:00Z", 0, new Dmc("Acme", "M" + (i % 5), "1.0"), null);
    }
  }

  @Benchmark
  public void countOneAlert() {
    rollups.decided(alerts[Math.floorMod(next.getAndIncrement(), DEVICES)], Verdict.CONSOLIDATED);
  }
}
