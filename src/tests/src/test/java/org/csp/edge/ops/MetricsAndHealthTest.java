package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Prometheus and Kubernetes see: /metrics in Prometheus text format, counters that move, and the probes. */
class MetricsAndHealthTest {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");
  private static final Pattern EUI64 = Pattern.compile("[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}");
  private static Vertx vertx;
  /** Held in a field: Vert.x closes an HttpClient (and its connections) once it is no longer referenced. */
  private static OneContextHttpClient http;
  private static Node node;
  private static int mqttPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    http = new OneContextHttpClient(vertx);
    JsonObject config = TestNodes.config(null);
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject alert(String hub, String code, long counter) {
    return new JsonObject().put("hubId", hub).put("deviceId", hub.replace("-0C-", "-0D-")).put("alertCode", code)
        .put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }

  private static Response get(String path) throws Exception {
    return http.call(c -> c.request(HttpMethod.GET, node.httpPort(), "127.0.0.1", path)
        .compose(r -> r.send().compose(resp -> resp.body().map(b -> new Response(resp.statusCode(),
            resp.getHeader("Content-Type"), b.toString()))))
        ).get(10, TimeUnit.SECONDS);
  }

  record Response(int status, String contentType, String body) {}

  /** series (name plus labels as written) -> value */
  static Map<String, Double> scrape() throws Exception {
    Response r = get("/metrics");
    assertEquals(200, r.status());
    Map<String, Double> samples = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "a valid Prometheus text-format sample: " + line);
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return samples;
  }

  private static double value(Map<String, Double> samples, String name, String... labels) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().startsWith(name + "{") || e.getKey().equals(name))
        .filter(e -> java.util.Arrays.stream(labels).allMatch(l -> e.getKey().contains(l)))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  @Test
  void countersMoveAsAlertsPassAndLabelsStayBounded() throws Exception {
    Map<String, Double> before = scrape();
    MqttClient hub = MqttClient.create(vertx);
    hub.connect(mqttPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      String hubId = String.format("00-1B-C5-0C-00-07-00-%02X", i);
      hub.publish("alerts/" + hubId, alert(hubId, "8F1C", i).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    JsonArray overHttp = new JsonArray().add(alert("00-1B-C5-0C-00-07-01-00", "8F36", 9)).add(new JsonObject().put("x", 1));
    http.call(c -> c.request(HttpMethod.POST, node.httpPort(), "127.0.0.1", "/v1/alerts")
        .compose(r -> r.send(overHttp.toBuffer()))).get(10, TimeUnit.SECONDS);
    Await.until(() -> node.status().settled(), Duration.ofSeconds(20), () -> node.status().toJson().encode());

    Map<String, Double> after = scrape();
    assertEquals(3, value(after, "csp_alerts_received_total", "intake=\"mqtt\"") - value(before, "csp_alerts_received_total", "intake=\"mqtt\""));
    assertEquals(2, value(after, "csp_alerts_received_total", "intake=\"http\"") - value(before, "csp_alerts_received_total", "intake=\"http\""));
    assertEquals(3, value(after, "csp_alerts_received_by_code_total", "alert_code=\"8F1C\"")
        - value(before, "csp_alerts_received_by_code_total", "alert_code=\"8F1C\""));
    assertEquals(3, value(after, "csp_alerts_outcome_by_code_total", "alert_code=\"8F1C\"", "outcome=\"forwarded\"")
        - value(before, "csp_alerts_outcome_by_code_total", "alert_code=\"8F1C\"", "outcome=\"forwarded\""), "outcomes per code");
    assertEquals(4, value(after, "csp_alerts_outcome_total", "outcome=\"forwarded\"") - value(before, "csp_alerts_outcome_total", "outcome=\"forwarded\""));
    assertEquals(1, value(after, "csp_alerts_rejected_total", "reason=\"missing_field\"") - value(before, "csp_alerts_rejected_total", "reason=\"missing_field\""));
    assertEquals(4, value(after, "csp_upstream_events_total", "type=\"alert\"") - value(before, "csp_upstream_events_total", "type=\"alert\""));
    assertTrue(value(after, "csp_upstream_publish_seconds_count") >= 4, "publish latency is measured");
    assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("csp_upstream_publish_seconds_bucket")), "as a histogram");
    assertEquals(1, value(after, "csp_upstream_connected"));
    assertEquals(1, value(after, "csp_cluster_members"));
    assertEquals(271, value(after, "csp_cluster_owned_partitions"), "a single member owns every partition");
    // Four hubs, one message each: four hub operations, each a local invocation on a single member; no round trip.
    String apply = "kind=\"apply\"";
    assertEquals(4, value(after, "csp_cluster_invocations_total", apply, "target=\"local\"")
        - value(before, "csp_cluster_invocations_total", apply, "target=\"local\""));
    assertEquals(0, value(after, "csp_cluster_invocations_total", "target=\"remote\""), "nothing is remote on one member");
    assertTrue(value(after, "csp_cluster_hub_operations_total") - value(before, "csp_cluster_hub_operations_total") >= 4);
    assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("csp_cluster_backup_copies_total")), "backup copies are exported");
    assertEquals(0, value(after, "csp_cluster_backup_copies_total"), "a single member has no backup to copy to");
    JsonObject invocations = node.status().toJson().getJsonObject("clusterInvocations");
    assertEquals(value(scrape(), "csp_cluster_invocations_total", apply, "target=\"local\""),
        invocations.getJsonObject("byKind").getJsonObject("apply").getLong("local").doubleValue(), "status and metric agree");
    assertEquals(0L, invocations.getLong("remote"));
    for (String gauge : new String[] {"csp_hubs_tracked", "csp_hubs_in_storm", "csp_regional_bursts", "csp_alerts_held_in_groups",
        "csp_outbox_depth_events", "csp_outbox_capacity_events", "csp_backpressure_engaged", "csp_eventloop_delay_seconds",
        "jvm_memory_used_bytes", "process_cpu_usage", "csp_build_info", "csp_cluster_migrations_in_progress",
        "csp_outbox_spilled_events_total", "csp_outbox_spill_replayed_events_total", "csp_storms_started_by_code_total",
        "csp_dead_letter_events_total", "csp_upstream_connections_lost_total", "csp_cluster_hub_partitions_lost_total"}) {
      assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith(gauge)), gauge + " is exported");
    }
    double delay = value(after, "csp_eventloop_delay_seconds");
    assertTrue(value(scrape(), "csp_eventloop_delay_seconds") >= delay || delay == 0,
        "a scrape does not reset the event loops' worst recent delay");
    assertTrue(after.keySet().stream().filter(k -> k.startsWith("csp_")).allMatch(k -> k.contains("region=\"north\"")),
        "every series names its region");
    assertFalse(after.keySet().stream().anyMatch(k -> EUI64.matcher(k).find()), "no hub or device id is ever a label");
    hub.disconnect();
  }

  @Test
  void everyDashboardQueryNamesAMetricTheNodeExports() throws Exception {
    // One alert, so that the per-code series and the latency histogram exist.
    JsonObject one = alert("00-1B-C5-0C-00-07-02-00", "8F84", 1);
    http.call(c -> c.request(HttpMethod.POST, node.httpPort(), "127.0.0.1", "/v1/alerts")
        .compose(r -> r.send(one.toBuffer()))).get(10, TimeUnit.SECONDS);
    Await.until(() -> node.status().settled(), Duration.ofSeconds(20), () -> node.status().toJson().encode());
    // jvm_gc_pause_seconds appears with the first collection after the node bound its metrics; a running node has
    // collected long before anyone looks at its dashboard, a test's node may not have yet. The series follows the
    // collection's notification, on its own thread: collect until it shows.
    Await.until(() -> {
      System.gc();
      try {
        return scrape().keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_pause_seconds_sum"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofSeconds(20), () -> "no jvm_gc_pause_seconds after collections");
    java.util.Set<String> exported = new java.util.HashSet<>();
    scrape().keySet().forEach(series -> exported.add(series.contains("{") ? series.substring(0, series.indexOf('{')) : series));
    java.util.Set<String> queried = org.csp.edge.helm.DashboardQueries.metricNames(org.csp.edge.helm.DashboardQueries.dashboardJson());
    assertTrue(queried.size() > 15, "the dashboard queries the node's metrics: " + queried);
    java.util.Set<String> missing = new java.util.TreeSet<>(queried);
    missing.removeAll(exported);
    assertTrue(missing.isEmpty(), "dashboard metrics the node does not export: " + missing);
  }

  @Test
  void probesAnswerOnTheirPaths() throws Exception {
    assertEquals(200, get("/health/started").status());
    assertEquals(200, get("/health/live").status());
    Response ready = get("/health/ready");
    assertEquals(200, ready.status(), ready.body());
    JsonObject body = new JsonObject(ready.body());
    assertTrue(body.getBoolean("clusterSafe") && body.getBoolean("started"));
    assertTrue(get("/metrics").contentType().startsWith("text/plain"), "Prometheus text format");
  }
}
