package org.csp.edge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.support.OneContextHttpClient;

/** The report tests' HTTP side: alerts posted to a node, its reports read. */
final class ReportCalls implements AutoCloseable {
  static final String HUB = "00-1B-C5-0C-00-00-50-%02X";
  private final Vertx vertx = Vertx.vertx();
  private final OneContextHttpClient http = new OneContextHttpClient(vertx);

  record Answer(int status, String contentType, String body) {}

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JsonObject alert(int hub, String code, int counter, String model) {
    String hubId = String.format(HUB, hub);
    JsonObject a = new JsonObject().put("hubId", hubId).put("deviceId", hubId.replace("-50-", "-51-"))
        .put("deviceType", "ESME").put("alertCode", code).put("originatorCounter", counter)
        .put("raisedAt", Instant.now().toString());
    if (model != null) a.put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", model).put("firmware", "1.0"));
    return a;
  }

  Answer call(int port, String path, String accept) throws Exception {
    return http.call(c -> c.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(r -> {
          if (accept != null) r.putHeader("Accept", accept);
          return r.send().compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"), b.toString())));
        })).get(20, TimeUnit.SECONDS);
  }

  void post(int port, JsonArray batch) throws Exception {
    int status = http.call(c -> c.request(HttpMethod.POST, port, "127.0.0.1", "/v1/alerts")
        .compose(r -> r.putHeader("Content-Type", "application/json").send(batch.toBuffer()).map(resp -> resp.statusCode()))
        ).get(20, TimeUnit.SECONDS);
    assertTrue(status == 200 || status == 400, "the intake answered " + status);
  }

  Map<String, Long> byOutcome(int port) throws Exception {
    Answer a = call(port, "/v1/reports/alerts?by=outcome&from=" + Instant.now().minus(Duration.ofHours(2)), null);
    assertEquals(200, a.status(), a.body());
    Map<String, Long> out = new HashMap<>();
    for (Object o : new JsonObject(a.body()).getJsonArray("rows")) {
      JsonObject row = (JsonObject) o;
      out.merge(row.getString("outcome"), row.getLong("count"), Long::sum);
    }
    return out;
  }

  boolean totalIs(int port, long n) {
    try {
      return total(port) == n;
    } catch (Exception e) {
      return false;
    }
  }

  long total(int port) throws Exception {
    return byOutcome(port).values().stream().mapToLong(Long::longValue).sum();
  }

  static JsonObject find(JsonArray rows, String code, String model) {
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      Object dmc = r.getValue("dmc");
      boolean match = model == null ? "unknown".equals(dmc) : dmc instanceof JsonObject d && model.equals(d.getString("model"));
      if (code.equals(r.getString("alertCode")) && match) return r;
    }
    throw new AssertionError("no row for " + code + " " + model + " in " + rows.encodePrettily());
  }

  interface Check<T> {
    T get() throws Exception;
  }

  static <T> Object uncheck(Check<T> c) {
    try {
      return c.get();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
