package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart refuses mistakes (values.schema.json) and warns operators: the PrometheusRule's alerts, each with a
 * runbook in operations.md, a ServiceMonitor that follows TLS and tokens, MQTT over TLS on 8883, and the helm test.
 */
class ChartAlertsTest {
  private static final Path OPERATIONS = Path.of("src", "docs", "operations.md");

  @Test
  void aMisspeltOrMistypedValueIsRefused() {
    Exception misspelt = assertThrows(Exception.class, () -> new Helm(ChartRender.CHART).template()
        .withName("csp-edge-node").set("replicaz", "3").call());
    assertTrue(misspelt.getMessage().contains("replicaz"), misspelt.getMessage());
    Exception nested = assertThrows(Exception.class, () -> new Helm(ChartRender.CHART).template()
        .withName("csp-edge-node").set("metrics.serviceMonitor.enabeld", "true").call());
    assertTrue(nested.getMessage().contains("enabeld"), nested.getMessage());
    Exception mistyped = assertThrows(Exception.class, () -> new Helm(ChartRender.CHART).template()
        .withName("csp-edge-node").set("replicas", "three").call());
    assertTrue(mistyped.getMessage().contains("replicas"), mistyped.getMessage());
  }

  @Test
  void everyAlertHasARunbookAndQueriesMetricsTheNodeExports() throws Exception {
    Manifests m = ChartRender.defaults("security.allowAnonymous=true", "metrics.prometheusRule.enabled=true", "tls.secretName=csp-tls");
    List<Map<String, Object>> rules = Tree.list(Tree.<Map<String, Object>>list(m.one("PrometheusRule"), "spec.groups").get(0), "rules");
    Set<String> alerts = new TreeSet<>();
    String operations = Files.readString(OPERATIONS);
    List<String> exprs = new ArrayList<>();
    for (Map<String, Object> rule : rules) {
      alerts.add(Tree.string(rule, "alert"));
      exprs.add(Tree.string(rule, "expr"));
      String runbook = Tree.string(rule, "annotations.runbook_url");
      String anchor = runbook.substring(runbook.indexOf('#') + 1);
      assertTrue(runbook.contains("src/docs/operations.md#"), runbook);
      assertTrue(headingAnchors(operations).contains(anchor), "operations.md has the runbook " + anchor);
    }
    assertEquals(Set.of("CSPEdgeUpstreamDisconnected", "CSPEdgeOutboxFilling", "CSPEdgeBackPressure", "CSPEdgeAccountingDrift",
        "CSPEdgeDeadLetters", "CSPEdgeHubStateLost", "CSPEdgeMembersBelowExpected", "CSPEdgeCertificateExpiry"), alerts);
    Set<String> metrics = new TreeSet<>();
    exprs.forEach(e -> metrics.addAll(DashboardQueries.metricNamesOfQuery(e)));
    assertEquals(Set.of("csp_upstream_connected", "csp_outbox_depth_events", "csp_outbox_capacity_events",
        "csp_backpressure_engaged", "csp_alerts_received_total", "csp_alerts_outcome_total", "csp_dead_letter_events_total",
        "csp_cluster_members", "csp_cluster_hub_partitions_lost_total", "csp_tls_certificate_expiry_timestamp_seconds"), metrics,
        "the metrics the rules use (MetricsAndHealthTest checks the node exports them)");
    assertTrue(exprs.stream().anyMatch(e -> e.contains("csp_cluster_members{region=\"central\"}) < 3")), exprs.toString());
  }

  @Test
  void withTlsTheServiceMonitorScrapesHttpsAndMqttListensOn8883() {
    Manifests plain = ChartRender.defaults("security.allowAnonymous=true", "metrics.serviceMonitor.enabled=true");
    Map<String, Object> endpoint = Tree.<Map<String, Object>>list(plain.one("ServiceMonitor"), "spec.endpoints").get(0);
    assertEquals(null, endpoint.get("scheme"));
    assertEquals("1883", plain.env("NODE_MQTT_PORT"));

    Manifests tls = ChartRender.defaults("security.allowAnonymous=true", "metrics.serviceMonitor.enabled=true", "tls.secretName=csp-tls",
        "metrics.serviceMonitor.bearerTokenSecret.name=metrics-token", "metrics.serviceMonitor.bearerTokenSecret.key=token");
    endpoint = Tree.<Map<String, Object>>list(tls.one("ServiceMonitor"), "spec.endpoints").get(0);
    assertEquals("https", endpoint.get("scheme"));
    assertEquals("csp-tls", Tree.string(endpoint, "tlsConfig.ca.secret.name"));
    assertEquals("metrics-token", Tree.string(endpoint, "authorization.credentials.name"));
    assertEquals("8883", tls.env("NODE_MQTT_PORT"));
    Map<String, Object> mqttService = tls.named("Service", "-mqtt");
    assertEquals(8883, Tree.<Map<String, Object>>list(mqttService, "spec.ports").get(0).get("port"));
  }

  @Test
  void theHelmTestPostsAnAlertAndChecksTheNodeAcceptedIt(@TempDir Path dir) throws Exception {
    Path template = ChartRender.CHART.resolve("templates/tests/test-alert.yaml");
    assertTrue(Files.readString(template).contains("helm.sh/hook: test"), "a helm test hook");
    Manifests m = ChartRender.withTestPod(dir, "north");
    Map<String, Object> pod = m.named("Pod", "-test-alert");
    String script = Tree.<String>list(Tree.<Map<String, Object>>list(pod, "spec.containers").get(0), "args").get(0);
    assertTrue(script.contains("/v1/alerts") && script.contains("/v1/status"), "posts an alert and reads the status: " + script);
    assertTrue(script.contains("\"accepted\"") && script.contains("exit 1"), "fails unless the node accepted it: " + script);
    assertEquals("https://csp-north-csp-edge-node-http.csp-north.svc:8080",
        Tree.<Map<String, Object>>list(Tree.<Map<String, Object>>list(pod, "spec.containers").get(0), "env").get(0).get("value"),
        "over TLS, as the region runs it");
  }

  /** GitHub's anchors of the level-3 headings: lower case, spaces to dashes, other punctuation dropped. */
  private static Set<String> headingAnchors(String markdown) {
    Set<String> anchors = new TreeSet<>();
    for (String line : markdown.split("\n")) {
      if (line.startsWith("### ")) {
        anchors.add(line.substring(4).strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }
}
