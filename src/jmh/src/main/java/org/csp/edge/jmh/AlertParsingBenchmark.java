package org.csp.edge.jmh;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.alert.ParsedMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Parsing and validating southbound messages: one alert, and a head-end batch of 50. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AlertParsingBenchmark {
  private final AlertParser parser = new AlertParser(1024 * 1024, 16 * 1024);
  private byte[] single;
  private byte[] batch;

  static JsonObject alert(int i) {
    return new JsonObject().put("hubId", String.format("00-1B-C5-0C-00-00-%02X-%02X", i / 256 % 256, i % 256))
        .put("deviceId", String.format("00-1B-C5-0D-00-00-%02X-%02X", i / 256 % 256, i % 256)).put("deviceType", "GPF")
        .put("alertCode", "8F3E").put("originatorCounter", 1000L + i).put("raisedAt", Instant.now().toString())
        .put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", "GPF-2").put("firmware", "1.0.3"))
        .put("payload", "AAECAwQFBgcICQ==");
  }

  @Setup
  public void messages() {
    single = alert(1).encode().getBytes(StandardCharsets.UTF_8);
    JsonArray fifty = new JsonArray();
    for (int i = 0; i < 50; i++) fifty.add(alert(i));
    batch = fifty.encode().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public ParsedMessage singleAlert() {
    return parser.parseJson(single, null);
  }

  @Benchmark
  public ParsedMessage batchOf50() {
    return parser.parseJson(batch, null);
  }
}
