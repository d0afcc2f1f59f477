package org.csp.edge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
  private static ReportCalls calls;
  private static PostgresProcess postgres;

  @BeforeAll
  static void start() {
    calls = new ReportCalls();
  }

  @AfterAll
  static void stop() throws Exception {
    if (calls != null) calls.close();
    if (postgres != null) postgres.close();
  }

  /** The product's command line on captured streams. */
  record Cli(java.io.ByteArrayOutputStream outBytes, java.io.ByteArrayOutputStream errBytes) {
    static Cli create() {
      return new Cli(new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream());
    }

    int run(String... args) {
      java.io.PrintStream out = new java.io.PrintStream(outBytes, true);
      java.io.PrintStream err = new java.io.PrintStream(errBytes, true);
      return org.csp.edge.cli.CommandLines.execute(
          org.csp.edge.Main.commandLine(Map.of(), java.io.InputStream.nullInputStream(), out, err), args, out, err);
    }

    String out() {
      return outBytes.toString();
    }

    String err() {
      return errBytes.toString();
    }
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "postgresql"})
  void alertsSentAppearInTheReportsWithExactCountsAcrossARestart(String store) throws Exception {
    JsonObject config = config(store);
    Node node = TestNodes.start(config);
    try {
      int port = node.httpPort();
      JsonArray batch = new JsonArray();
      // 6 hubs x 10 alerts of 8F3E (model M1 for hubs 0-2, M2 for 3-5): each hub storms after 5.
      for (int h = 0; h < 6; h++) for (int i = 0; i < 10; i++) batch.add(ReportCalls.alert(h, "8F3E", i, h < 3 ? "M1" : "M2"));
      for (int h = 0; h < 4; h++) batch.add(ReportCalls.alert(10 + h, "8D01", 1, null)); // no DMC: unknown
      batch.add(ReportCalls.alert(0, "8F3E", 0, "M1")); // a duplicate header
      batch.add(ReportCalls.alert(20, "8F3E", 1, "M1").put("raisedAt", "yesterday")); // rejected: bad_raised_at
      calls.post(port, batch);
      int sent = batch.size();
      Await.until(() -> calls.totalIs(port, sent), Duration.ofSeconds(30), () -> "report: " + ReportCalls.uncheck(() -> calls.byOutcome(port)));
      assertEquals(sent, node.status().toJson().getLong("received"), "the node received what was sent");
      Map<String, Long> outcomes = calls.byOutcome(port);
      assertEquals(1L, outcomes.get("duplicate"), outcomes.toString());
      assertEquals(1L, outcomes.get("rejected:bad_raised_at"), outcomes.toString());
      assertEquals(node.status().toJson().getLong("forwarded"), outcomes.get("forwarded"), outcomes.toString());

      // By code and DMC: exact counts, distinct hubs and devices.
      JsonArray rows = new JsonObject(calls.call(port, "/v1/reports/alerts?by=alertCode,dmc&from="
          + Instant.now().minus(Duration.ofHours(2)), null).body()).getJsonArray("rows");
      JsonObject m1 = ReportCalls.find(rows, "8F3E", "M1");
      assertEquals(31, m1.getLong("count"), rows.encodePrettily()); // 30 + the duplicate
      assertEquals(3, m1.getLong("hubs"), rows.encodePrettily());
      assertEquals(1, ReportCalls.find(rows, "unknown", null).getLong("count"), "the alert refused unread: " + rows.encodePrettily());
      assertTrue(!m1.containsKey("outcome"), "only the dimensions asked for");
      JsonObject unknown = ReportCalls.find(rows, "8D01", null);
      assertEquals(4, unknown.getLong("count"));
      assertEquals(4, unknown.getLong("devices"));

      ReportCalls.Answer csv = calls.call(port, "/v1/reports/alerts?by=alertCode&step=1d", "text/csv");
      assertEquals(200, csv.status(), csv.body());
      assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
      assertTrue(csv.body().startsWith("from,alertCode,count,hubs,devices\r\n"), csv.body());
      assertTrue(csv.body().contains(",8D01,4,4,4\r\n"), csv.body());

      ReportCalls.Answer top = calls.call(port, "/v1/reports/top?of=dmcs&alertCode=8F3E&from=" + Instant.now().minus(Duration.ofHours(2)), null);
      JsonArray topRows = new JsonObject(top.body()).getJsonArray("rows");
      assertEquals(31, topRows.getJsonObject(0).getLong("count"), top.body());
      ReportCalls.Answer hubs = calls.call(port, "/v1/reports/top?of=hubs&alertCode=8F3E&limit=2&from=" + Instant.now().minus(Duration.ofHours(2)), null);
      JsonObject hubTop = new JsonObject(hubs.body());
      assertEquals(2, hubTop.getJsonArray("rows").size(), hubs.body());
      assertEquals(String.format(ReportCalls.HUB, 0), hubTop.getJsonArray("rows").getJsonObject(0).getString("hubId"), "hub 0 sent 11");
      assertEquals(11, hubTop.getJsonArray("rows").getJsonObject(0).getLong("count"), hubs.body());
      assertEquals(false, hubTop.getBoolean("approximate"), "few hubs: exact");

      // The same from the command line: a table, CSV to a file, and the top hubs.
      Cli cli = Cli.create();
      assertEquals(0, cli.run("report", "alerts", "--url", "http://127.0.0.1:" + port, "--by", "alertCode"), cli.err());
      assertTrue(cli.out().matches("(?s)from\\s+alertCode\\s+count\\s+hubs\\s+devices\n.*8D01\\s+4\\s+4\\s+4\n.*"), cli.out());
      java.nio.file.Path csvFile = java.nio.file.Files.createTempFile("report", ".csv");
      assertEquals(0, Cli.create().run("report", "alerts", "--url", "http://127.0.0.1:" + port, "--by", "alertCode",
          "--step", "1d", "--csv", csvFile.toString()));
      assertEquals(csv.body(), java.nio.file.Files.readString(csvFile), "the CLI writes the API's CSV");
      Cli topCli = Cli.create();
      assertEquals(0, topCli.run("report", "top", "--url", "http://127.0.0.1:" + port, "--of", "hubs", "--alert-code", "8F3E",
          "--limit", "1"), topCli.err());
      assertTrue(topCli.out().contains(String.format(ReportCalls.HUB, 0)) && topCli.out().contains("11"), topCli.out());
      Cli badCli = Cli.create();
      assertEquals(2, badCli.run("report", "alerts", "--url", "http://127.0.0.1:" + port, "--step", "2h"), "a usage error");
      assertTrue(badCli.err().contains("step: must be 1h or 1d"), badCli.err());

      ReportCalls.Answer bad = calls.call(port, "/v1/reports/alerts?step=2h&by=alertCode,colour&from=yesterday", null);
      assertEquals(400, bad.status(), bad.body());
      assertEquals("application/problem+json", bad.contentType());
      JsonArray errors = new JsonObject(bad.body()).getJsonArray("errors");
      assertEquals(3, errors.size(), bad.body());
      assertTrue(bad.body().contains("\"step\"") && bad.body().contains("\"by\"") && bad.body().contains("\"from\""), bad.body());
      // Instants ISO-8601 reads but whose milliseconds overflow: a 400 naming them, not a 500.
      for (String report : new String[] {"alerts", "top"}) {
        ReportCalls.Answer far = calls.call(port, "/v1/reports/" + report
            + "?from=-999999999-01-01T00:00:00Z&to=%2B999999999-12-31T23:59:59Z", null);
        assertEquals(400, far.status(), far.body());
        assertTrue(far.body().contains("\"from\"") && far.body().contains("\"to\""), far.body());
      }
    } finally {
      TestNodes.stop(node);
    }

    Node again = TestNodes.start(config);
    try {
      int port = again.httpPort();
      assertEquals(66, calls.total(port), "the history survives the restart");
      calls.post(port, new JsonArray().add(ReportCalls.alert(30, "8F3E", 1, "M1")));
      Await.until(() -> calls.totalIs(port, 67), Duration.ofSeconds(30), () -> "report: " + ReportCalls.uncheck(() -> calls.byOutcome(port)));
    } finally {
      TestNodes.stop(again);
    }
  }

}
