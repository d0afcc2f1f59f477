package org.csp.edge.jmh;

import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.consolidation.ForwardedAlert;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.UpstreamEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding a forwarded alert as its northbound event (done once per forwarded alert). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventEncodingBenchmark {
  private final EventFactory events = new EventFactory("north", "bench", "dsp/north/", System::currentTimeMillis);
  private Alert alert;

  @Setup
  public void setUp() {
    alert = new AlertParser(1 << 20, 1 << 14).parseJson(AlertParsingBenchmark.alert(7).encode().getBytes(), null)
        .alerts().get(0);
  }

  @Benchmark
  public UpstreamEvent forwardedAlert() {
    return events.alert(new ForwardedAlert(alert, 3, System.currentTimeMillis()));
  }
}
