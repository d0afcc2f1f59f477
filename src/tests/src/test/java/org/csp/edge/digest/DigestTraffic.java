package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.OneContextHttpClient;

/** The digest tests' traffic: alerts posted to a node, the reports' total over a range, the digests that arrived. */
final class DigestTraffic implements AutoCloseable {
  static final String HUB = "00-1B-C5-0C-00-00-60-%02X";
  /** Monday 1 December 2026, 10:05 UTC: within the hour [10:00, 11:00), the digests' period in these tests. */
  static final Instant START = Instant.parse("2026-12-01T10:05:00Z");
  static final Instant PERIOD_START = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant PERIOD_END = Instant.parse("2026-12-01T11:00:00Z");

  final AtomicLong clock = new AtomicLong(START.toEpochMilli());
  private final Vertx vertx = Vertx.vertx();
  private final OneContextHttpClient http = new OneContextHttpClient(vertx);
  private long counter;

  /** The node's configuration for digests of one hour, flushed and checked often. */
  static JsonObject digestConfig(JsonObject config) {
    return config.put("rollups", new JsonObject().put("flushInterval", "200ms"))
        .put("digests", new JsonObject().put("period", "1h").put("checkInterval", "200ms").put("delay", "1m"));
  }

  /** {@code n} alerts of {@code code} from hub {@code hub}, new headers each. */
  JsonArray alerts(int hub, String code, int n, String model) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < n; i++) {
      String hubId = String.format(HUB, hub);
      JsonObject a = new JsonObject().put("hubId", hubId).put("deviceId", hubId.replace("-60-", "-61-"))
          .put("deviceType", "ESME").put("alertCode", code).put("originatorCounter", ++counter)
          .put("raisedAt", Instant.ofEpochMilli(clock.get()).toString());
      if (model != null) a.put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", model).put("firmware", "1.0"));
      out.add(a);
    }
    return out;
  }

  void post(int port, JsonArray batch) throws Exception {
    int status = http.call(c -> c.request(HttpMethod.POST, port, "127.0.0.1", "/v1/alerts")
        .compose(r -> r.putHeader("Content-Type", "application/json").send(batch.toBuffer()).map(resp -> resp.statusCode()))
        ).get(20, TimeUnit.SECONDS);
    if (status != 200 && status != 400) throw new AssertionError("the intake answered " + status);
  }

  /** The region's alerts in the digest's hour, as the node's report has them (every outcome). */
  long reported(int port) {
    try {
      JsonObject answer = http.call(c -> c.request(HttpMethod.GET, port, "127.0.0.1", "/v1/reports/alerts?by=outcome&from="
              + PERIOD_START + "&to=" + PERIOD_END)
          .compose(r -> r.send().compose(resp -> resp.body())).map(b -> b.toJsonObject())
          ).get(20, TimeUnit.SECONDS);
      return answer.getJsonArray("rows").stream().mapToLong(o -> ((JsonObject) o).getLong("count")).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The value of a series of the node's /metrics whose labels include {@code label}; -1 when absent. */
  double metric(int port, String name, String label) {
    try {
      String text = http.call(c -> c.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
          .compose(r -> r.send().compose(resp -> resp.body())).map(b -> b.toString())
          ).get(20, TimeUnit.SECONDS);
      for (String line : text.split("\n")) {
        if (line.startsWith(name + "{") && line.contains(label)) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  /** A feed of every digest message on the broker (repeats included: {@link DspFeed#messages()}). */
  DspFeed digestFeed(int brokerPort) throws Exception {
    DspFeed feed = new DspFeed(vertx, "127.0.0.1", brokerPort, "dsp/north/digest/#");
    feed.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return feed;
  }

  /** The digests of the test's period, by recipient. */
  static List<JsonObject> digestsOf(DspFeed feed, String recipient) {
    return feed.all().stream().filter(e -> "digest".equals(e.getString("type")) && recipient.equals(e.getString("recipient"))
        && PERIOD_START.toString().equals(e.getString("periodStart"))).toList();
  }

  /** The sum of a digest's counts by code and outcome. */
  static long counted(JsonObject digest) {
    long sum = 0;
    JsonObject counts = digest.getJsonObject("byCode");
    for (String code : counts.fieldNames()) {
      for (String outcome : counts.getJsonObject(code).fieldNames()) sum += counts.getJsonObject(code).getLong(outcome);
    }
    assertEquals(sum, digest.getLong("alerts"), "alerts is the sum of byCode: " + digest.encodePrettily());
    return sum;
  }

  static String eventId(String recipient) {
    return "digest:north:" + recipient + ":" + PERIOD_START + ":" + PERIOD_END;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
