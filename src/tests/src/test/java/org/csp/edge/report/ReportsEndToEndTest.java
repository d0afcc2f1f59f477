package org.csp.edge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.PostgresProcess;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alerts sent to a running node over HTTP appear in its reports with exact counts (every outcome, rejections
 * included, adding up to what it received), by the dimensions asked for, as JSON and as CSV; bad parameters are
 * problems naming them; and the counts are still there after the node restarts. On the embedded store (H2 in the
 * data directory) and on a private PostgreSQL.
 */
class ReportsEndToEndTest {
  private static final String HUB = "00-1B-C5-0C-00-00-50-%02X";
  private static Vertx vertx;
  private static HttpClient http;
  private static PostgresProcess postgres;

  record Answer(int status, String contentType, String body) {}

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (postgres != null) postgres.close();
  }

  static JsonObject config(String store) throws Exception {
    JsonObject rollups = new JsonObject().put("flushInterval", "200ms");
    if (store.equals("postgresql")) {
      if (postgres == null) postgres = PostgresProcess.start();
      java.nio.file.Path password = java.nio.file.Files.createTempFile("db-password", "");
      java.nio.file.Files.writeString(password, PostgresProcess.PASSWORD + "\n");
      rollups.put("store", new JsonObject().put("url", postgres.createDatabase("reports_" + System.nanoTime()))
          .put("username", PostgresProcess.USER).put("passwordFile", password.toString()));
    }
    return TestNodes.config(null).put("rollups", rollups);
  }

  static JsonObject alert(int hub, String code, int counter, String model) {
    String hubId = String.format(HUB, hub);
    JsonObject a = new JsonObject().put("hubId", hubId).put("deviceId", hubId.replace("-50-", "-51-"))
        .put("deviceType", "ESME").put("alertCode", code).put("originatorCounter", counter)
        .put("raisedAt", Instant.now().toString());
    if (model != null) a.put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", model).put("firmware", "1.0"));
    return a;
  }

  static Answer call(int port, String path, String accept) throws Exception {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(r -> {
          if (accept != null) r.putHeader("Accept", accept);
          return r.send().compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"), b.toString())));
        }).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static void post(int port, JsonArray batch) throws Exception {
    int status = http.request(HttpMethod.POST, port, "127.0.0.1", "/v1/alerts")
        .compose(r -> r.putHeader("Content-Type", "application/json").send(batch.toBuffer()).map(resp -> resp.statusCode()))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertTrue(status == 200 || status == 400, "the intake answered " + status);
  }

  /** Sum of count over the report's rows, by outcome. */
  static Map<String, Long> byOutcome(int port) throws Exception {
    Answer a = call(port, "/v1/reports/alerts?by=outcome&from=" + Instant.now().minus(Duration.ofHours(2)), null);
    assertEquals(200, a.status(), a.body());
    Map<String, Long> out = new HashMap<>();
    for (Object o : new JsonObject(a.body()).getJsonArray("rows")) {
      JsonObject row = (JsonObject) o;
      out.merge(row.getString("outcome"), row.getLong("count"), Long::sum);
    }
    return out;
  }

  static boolean totalIs(int port, long n) {
    try {
      return total(port) == n;
    } catch (Exception e) {
      return false;
    }
  }

  static long total(int port) throws Exception {
    return byOutcome(port).values().stream().mapToLong(Long::longValue).sum();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "postgresql"})
  void alertsSentAppearInTheReportsWithExactCountsAcrossARestart(String store) throws Exception {
    JsonObject config = config(store);
    Node node = TestNodes.start(config);
    try {
      int port = node.httpPort();
      JsonArray batch = new JsonArray();
      // 6 hubs x 10 alerts of 8F3E (model M1 for hubs 0-2, M2 for 3-5): each hub storms after 5.
      for (int h = 0; h < 6; h++) for (int i = 0; i < 10; i++) batch.add(alert(h, "8F3E", i, h < 3 ? "M1" : "M2"));
      for (int h = 0; h < 4; h++) batch.add(alert(10 + h, "8D01", 1, null)); // no DMC: unknown
      batch.add(alert(0, "8F3E", 0, "M1")); // a duplicate header
      batch.add(alert(20, "8F3E", 1, "M1").put("raisedAt", "yesterday")); // rejected: bad_raised_at
      post(port, batch);
      int sent = batch.size();
      Await.until(() -> totalIs(port, sent), Duration.ofSeconds(30), () -> "report: " + uncheck(() -> byOutcome(port)));
      assertEquals(sent, node.status().toJson().getLong("received"), "the node received what was sent");
      Map<String, Long> outcomes = byOutcome(port);
      assertEquals(1L, outcomes.get("duplicate"), outcomes.toString());
      assertEquals(1L, outcomes.get("rejected:bad_raised_at"), outcomes.toString());
      assertEquals(node.status().toJson().getLong("forwarded"), outcomes.get("forwarded"), outcomes.toString());

      // By code and DMC: exact counts, distinct hubs and devices.
      JsonArray rows = new JsonObject(call(port, "/v1/reports/alerts?by=alertCode,dmc&from="
          + Instant.now().minus(Duration.ofHours(2)), null).body()).getJsonArray("rows");
      JsonObject m1 = find(rows, "8F3E", "M1");
      assertEquals(31, m1.getLong("count"), rows.encodePrettily()); // 30 + the duplicate
      assertEquals(3, m1.getLong("hubs"), rows.encodePrettily());
      assertEquals(1, find(rows, "unknown", null).getLong("count"), "the alert refused unread: " + rows.encodePrettily());
      assertTrue(!m1.containsKey("outcome"), "only the dimensions asked for");
      JsonObject unknown = find(rows, "8D01", null);
      assertEquals(4, unknown.getLong("count"));
      assertEquals(4, unknown.getLong("devices"));

      Answer csv = call(port, "/v1/reports/alerts?by=alertCode&step=1d", "text/csv");
      assertEquals(200, csv.status(), csv.body());
      assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
      assertTrue(csv.body().startsWith("from,alertCode,count,hubs,devices\r\n"), csv.body());
      assertTrue(csv.body().contains(",8D01,4,4,4\r\n"), csv.body());

      Answer top = call(port, "/v1/reports/top?of=dmcs&alertCode=8F3E&from=" + Instant.now().minus(Duration.ofHours(2)), null);
      JsonArray topRows = new JsonObject(top.body()).getJsonArray("rows");
      assertEquals(31, topRows.getJsonObject(0).getLong("count"), top.body());
      Answer hubs = call(port, "/v1/reports/top?of=hubs&alertCode=8F3E&limit=2&from=" + Instant.now().minus(Duration.ofHours(2)), null);
      JsonObject hubTop = new JsonObject(hubs.body());
      assertEquals(2, hubTop.getJsonArray("rows").size(), hubs.body());
      assertEquals(String.format(HUB, 0), hubTop.getJsonArray("rows").getJsonObject(0).getString("hubId"), "hub 0 sent 11");
      assertEquals(11, hubTop.getJsonArray("rows").getJsonObject(0).getLong("count"), hubs.body());
      assertEquals(false, hubTop.getBoolean("approximate"), "few hubs: exact");

      Answer bad = call(port, "/v1/reports/alerts?step=2h&by=alertCode,colour&from=yesterday", null);
      assertEquals(400, bad.status(), bad.body());
      assertEquals("application/problem+json", bad.contentType());
      JsonArray errors = new JsonObject(bad.body()).getJsonArray("errors");
      assertEquals(3, errors.size(), bad.body());
      assertTrue(bad.body().contains("\"step\"") && bad.body().contains("\"by\"") && bad.body().contains("\"from\""), bad.body());
    } finally {
      TestNodes.stop(node);
    }

    Node again = TestNodes.start(config);
    try {
      int port = again.httpPort();
      assertEquals(66, total(port), "the history survives the restart");
      post(port, new JsonArray().add(alert(30, "8F3E", 1, "M1")));
      Await.until(() -> totalIs(port, 67), Duration.ofSeconds(30), () -> "report: " + uncheck(() -> byOutcome(port)));
    } finally {
      TestNodes.stop(again);
    }
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
