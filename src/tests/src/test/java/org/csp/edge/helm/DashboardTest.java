package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard the chart ships, and the ConfigMap that carries it to Grafana's sidecar. */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What operators watch in a storm (the operations issue's list of panels). */
  private static final Set<String> WATCHED = Set.of(
      "csp_alerts_received_total", "csp_alerts_received_by_code_total", "csp_alerts_outcome_total",
      "csp_alerts_rejected_total", "csp_hubs_in_storm", "csp_regional_bursts", "csp_alerts_held_in_groups",
      "csp_upstream_events_total", "csp_upstream_publish_seconds_bucket", "csp_outbox_depth_events",
      "csp_outbox_capacity_events", "csp_backpressure_engaged", "csp_upstream_connected", "csp_cluster_members",
      "csp_cluster_owned_partitions", "csp_eventloop_delay_seconds", "jvm_memory_used_bytes", "process_cpu_usage",
      // the analysis (issue 20): per-code outcomes, storms per code, digests
      "csp_alerts_outcome_by_code_total", "csp_storms_started_by_code_total", "csp_storms_ended_by_code_total",
      "csp_digests_published_total");

  @Test
  void theDashboardIsValidJsonWithADatasourceAndRegionAndPodFilters() throws Exception {
    JsonNode dashboard = JSON.readTree(DashboardQueries.dashboardJson());
    assertFalse(dashboard.path("uid").asText().isEmpty());
    assertTrue(dashboard.path("panels").size() > 10);
    Map<String, JsonNode> variables = new java.util.HashMap<>();
    dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
    assertEquals("datasource", variables.get("datasource").path("type").asText());
    assertEquals("prometheus", variables.get("datasource").path("query").asText());
    assertTrue(variables.containsKey("region") && variables.containsKey("pod"), variables.keySet().toString());

    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique");
      for (JsonNode target : panel.path("targets")) {
        assertEquals("${datasource}", target.path("datasource").path("uid").asText(), panel.path("title").asText());
        String expr = target.path("expr").asText();
        assertTrue(expr.contains("region=~\"$region\"") && expr.contains("=~\"$pod\""), "filtered by region and pod: " + expr);
      }
    }
  }

  @Test
  void thePanelsCoverWhatOperatorsWatchInAStorm() {
    Set<String> queried = DashboardQueries.metricNames(DashboardQueries.dashboardJson());
    Set<String> missing = new TreeSet<>(WATCHED);
    missing.removeAll(queried);
    assertEquals(Set.of(), missing, "metrics without a panel");
    assertTrue(queried.stream().allMatch(n -> n.startsWith("csp_") || n.startsWith("jvm_") || n.startsWith("process_")
        || n.startsWith("system_")), "only the node's own metrics: " + queried);
  }

  @Test
  void theConfigMapCarriesTheDashboardForGrafanasSidecar() throws Exception {
    Map<String, Object> configMap = ChartRender.region("south").named("ConfigMap", "-dashboard");
    assertEquals("1", Tree.map(configMap, "metadata.labels").get("grafana_dashboard"));
    String carried = (String) Tree.map(configMap, "data").get("csp-edge-node.json");
    assertEquals(JSON.readTree(DashboardQueries.dashboardJson()), JSON.readTree(carried));
    assertFalse(ChartRender.region("south", "dashboard.enabled=false").all("ConfigMap").stream()
        .anyMatch(c -> Tree.map(c, "data").containsKey("csp-edge-node.json")));
  }

  @Test
  void metricNamesAreToldFromFunctionsLabelsAndVariables() {
    assertEquals(Set.of("csp_upstream_publish_seconds_bucket"), DashboardQueries.metricNamesOfQuery(
        "histogram_quantile(0.99, sum by (le, node) (rate(csp_upstream_publish_seconds_bucket{region=~\"$region\", "
            + "node=~\"${pod}\"}[$__rate_interval] offset 5m)))"));
    assertEquals(Set.of("a_total", "b_total"), DashboardQueries.metricNamesOfQuery(
        "sum(rate(a_total{x=\"y{z}\"}[1m])) / on (node) group_left sum without (intake) (b_total > 1e3) and bool 1"));
    assertEquals(List.of("up{job=\"x\"}"), DashboardQueries.queries(
        "{\"templating\":{\"list\":[{\"type\":\"query\",\"query\":{\"query\":\"label_values(up{job=\\\"x\\\"}, node)\"}}]}}"));
  }
}
