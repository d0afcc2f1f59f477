package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus finds /metrics on every node: by pod annotations, or by a ServiceMonitor on the HTTP service. */
class ScrapeTest {
  @Test
  void podsAreAnnotatedForScrapingOnTheHttpPort() {
    Manifests release = ChartRender.region("central");
    Map<String, Object> annotations = Tree.map(release.statefulSet(), "spec.template.metadata.annotations");
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals("/metrics", annotations.get("prometheus.io/path"));
    assertEquals(String.valueOf(release.containerPort("http")), annotations.get("prometheus.io/port"));
    assertFalse(release.has("ServiceMonitor"), "the Prometheus Operator's CRDs may not be installed");
  }

  @Test
  void theServiceMonitorScrapesTheHttpServiceOnly() {
    Manifests release = ChartRender.region("central", "metrics.serviceMonitor.enabled=true");
    Map<String, Object> monitor = release.one("ServiceMonitor");
    assertEquals("monitoring.coreos.com/v1", monitor.get("apiVersion"));
    Map<String, Object> endpoint = Tree.<Map<String, Object>>list(monitor, "spec.endpoints").get(0);
    assertEquals("/metrics", endpoint.get("path"));

    Map<String, Object> selector = Tree.map(monitor, "spec.selector.matchLabels");
    List<Map<String, Object>> selected = release.all("Service").stream()
        .filter(s -> Tree.map(s, "metadata.labels").entrySet().containsAll(selector.entrySet())).toList();
    assertEquals(1, selected.size(), "one service selected");
    Map<String, Object> http = selected.get(0);
    assertTrue(Tree.string(http, "metadata.name").endsWith("-http"));
    Map<String, Object> port = Tree.<Map<String, Object>>list(http, "spec.ports").get(0);
    assertEquals(endpoint.get("port"), port.get("name"));
  }
}
