package org.csp.edge.jmh;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.decision.ForwardedAlert;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.UpstreamEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding a forwarded alert as its northbound event (done once per forwarded alert): the node's streaming writer,
 * beside the baseline it replaced (a JsonObject filled field by field, then encoded; Instant.toString per instant).
 */
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
    return events.alert(new ForwardedAlert(alert, 3, System.currentTimeMillis(), 1L, 0));
  }

  @Benchmark
  public Buffer baselineJsonObject() {
    long now = System.currentTimeMillis();
    JsonObject e = new JsonObject().put("eventId", "alert:" + alert.deviceId() + ":" + alert.alertCode() + ":"
            + Long.toUnsignedString(alert.originatorCounter())).put("type", "alert").put("region", "north")
        .put("nodeId", "bench").put("emittedAt", Instant.ofEpochMilli(now).toString()).put("count", 1)
        .put("hubId", alert.hubId()).put("deviceId", alert.deviceId());
    if (alert.deviceType() != null) e.put("deviceType", alert.deviceType());
    e.put("alertCode", alert.alertCode()).put("originatorCounter", alert.originatorCounter())
        .put("raisedAt", alert.raisedAt());
    if (alert.dmc() != null) {
      e.put("dmc", new JsonObject().put("manufacturer", alert.dmc().manufacturer()).put("model", alert.dmc().model())
          .put("firmware", alert.dmc().firmware()));
    }
    if (alert.payload() != null) e.put("payload", alert.payload());
    return e.put("consolidatedSinceLast", 3L).put("receivedAt", Instant.ofEpochMilli(now).toString()).toBuffer();
  }
}
