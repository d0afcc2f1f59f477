package org.csp.edge.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.InJvmCluster;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inventory on three members (and a fourth that joins later): imported over HTTP on one member, in force on
 * every one; alerts without a dmc received by another member carry their device's DMC into the summary the DSP
 * receives and into the reports by DMC; a later import replaces the inventory everywhere.
 */
class InventoryClusterTest {
  @RegisterExtension
  static final UpstreamBroker upstream = new UpstreamBroker();
  private static final String HUB = "00-1B-C5-0C-00-00-50-01";
  private static final String DEVICE = "00-1B-C5-0C-00-00-51-%02X";
  private static InJvmCluster cluster;
  private static InventoryCalls calls;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    calls = new InventoryCalls();
    admin = HttpTokens.newToken();
    Path tokens = Files.createTempFile("http-tokens", "");
    Files.write(tokens, List.of("oncall:admin:" + HttpTokens.digest(admin)));
    cluster = new InJvmCluster(upstream.broker().url())
        .rollups(new JsonObject().put("flushInterval", "200ms"))
        .section("security", new JsonObject().put("allowAnonymous", true)
            .put("http", new JsonObject().put("tokensFile", tokens.toString())))
        .start(3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
    if (calls != null) calls.close();
  }

  private static String device(int i) {
    return String.format(DEVICE, i);
  }

  @Test
  void anImportOnOneMemberFillsTheDmcOfAlertsReceivedByAnotherAndReachesTheSummaryAndTheReports() throws Exception {
    List<Node> nodes = cluster.nodes();
    StringBuilder csv = new StringBuilder(InventoryCalls.HEADER);
    for (int i = 0; i < 4; i++) csv.append(device(i)).append(",Acme Meters,E470,2.1\n");
    csv.append("00-1B-C5-0C-00-00-51,Acme Meters,E470,2.1\n"); // line 6: refused
    InventoryCalls.Answer imported = calls.importCsv(nodes.get(0).httpPort(), admin, csv.toString());
    assertEquals(200, imported.status(), imported.body());
    JsonObject answer = imported.json();
    assertEquals(4, answer.getInteger("devices"));
    assertEquals(1, answer.getInteger("models"));
    assertEquals(1, answer.getInteger("refused"));
    assertEquals(6, answer.getJsonArray("refusedRows").getJsonObject(0).getInteger("line"), answer.encode());
    assertEquals("oncall", answer.getString("importedBy"));
    long version = answer.getLong("version");
    for (Node n : nodes) {
      // "version": null until the member holds an inventory
      Await.until(() -> Long.valueOf(version).equals(held(n.httpPort()).getLong("version")), Duration.ofSeconds(30),
          () -> n.config().nodeId() + " holds " + uncheck(() -> calls.inventory(n.httpPort())));
    }

    try (DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // 10 alerts of one hub without a dmc, into another member: the hub storms after 5 and its summary lists devices.
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 10; i++) batch.add(InventoryCalls.alert(HUB, device(i % 4), "8F3E", 100 + i));
      batch.add(InventoryCalls.alert("00-1B-C5-0C-00-00-50-02", "00-1B-C5-0C-00-00-52-01", "8F3E", 1)); // not listed
      assertEquals(200, calls.alerts(nodes.get(1).httpPort(), batch).status());
      Await.until(() -> summaryDevices(dsp).stream().anyMatch(d -> d.containsKey("dmc")), Duration.ofSeconds(30),
          () -> "feed: " + dsp.all());
      JsonObject dmc = summaryDevices(dsp).stream().filter(d -> d.containsKey("dmc")).findFirst().orElseThrow().getJsonObject("dmc");
      assertEquals(new JsonObject().put("manufacturer", "Acme Meters").put("model", "E470").put("firmware", "2.1"), dmc);
      JsonObject forwarded = dsp.all().stream().filter(e -> "alert".equals(e.getString("type"))
          && device(0).equals(e.getString("deviceId"))).findFirst().orElseThrow(() -> new AssertionError("feed: " + dsp.all()));
      assertEquals(dmc, forwarded.getJsonObject("dmc"), "a forwarded alert carries it too");
    }
    JsonObject status = nodes.get(1).status().toJson().getJsonObject("inventory");
    assertEquals(10, status.getLong("dmcFilled"), status.encode());
    assertEquals(1, status.getLong("dmcMissed"), status.encode());

    // The reports by DMC, from a third member: the inventory's DMC, not unknown.
    Await.until(() -> e470Count(nodes.get(2).httpPort()) == 10, Duration.ofSeconds(30),
        () -> "report: " + uncheck(() -> calls.call(nodes.get(2).httpPort(), io.vertx.core.http.HttpMethod.GET,
            "/v1/reports/alerts?by=dmc&from=" + Instant.now().minus(Duration.ofHours(2)), null, null, null).body()));

    // A member that joins later holds it once started.
    Node late = cluster.add();
    assertEquals(version, calls.inventory(late.httpPort()).getLong("version"), "loaded before its intakes opened");
    assertEquals(4, calls.inventory(late.httpPort()).getInteger("devices"));

    // A new import replaces the whole inventory on every member.
    InventoryCalls.Answer next = calls.importCsv(late.httpPort(), admin,
        InventoryCalls.HEADER + device(9) + ",Bravo,GPF-2,3.0\n" + device(10) + ",Bravo,GPF-2,3.0\n");
    assertEquals(200, next.status(), next.body());
    assertEquals(version + 1, next.json().getLong("version"));
    for (Node n : cluster.nodes()) {
      Await.until(() -> held(n.httpPort()).getInteger("devices", -1) == 2, Duration.ofSeconds(30),
          () -> n.config().nodeId() + " holds " + uncheck(() -> calls.inventory(n.httpPort())));
    }
  }

  private static JsonObject held(int port) {
    try {
      return calls.inventory(port);
    } catch (Exception e) {
      return new JsonObject();
    }
  }

  private static List<JsonObject> summaryDevices(DspFeed dsp) {
    return dsp.all().stream().filter(e -> "summary".equals(e.getString("type")))
        .flatMap(e -> e.getJsonArray("devices", new JsonArray()).stream().map(o -> (JsonObject) o)).toList();
  }

  private static long e470Count(int port) {
    try {
      JsonArray rows = calls.call(port, io.vertx.core.http.HttpMethod.GET, "/v1/reports/alerts?by=dmc&from="
          + Instant.now().minus(Duration.ofHours(2)), null, null, null).json().getJsonArray("rows");
      long n = 0;
      for (Object o : rows) {
        JsonObject r = (JsonObject) o;
        if (r.getValue("dmc") instanceof JsonObject d && "E470".equals(d.getString("model"))) n += r.getLong("count");
      }
      return n;
    } catch (Exception e) {
      return -1;
    }
  }

  interface Check<T> {
    T get() throws Exception;
  }

  static Object uncheck(Check<?> c) {
    try {
      return c.get();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
