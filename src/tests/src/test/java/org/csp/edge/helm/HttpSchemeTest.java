package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes, the scrape annotation, the ServiceMonitor and the `helm test` pod speak the scheme the node's HTTP listener
 * really has: HTTPS with tls.secretName unless config.security.tls.http is false (TLS on MQTT only), else HTTP.
 */
class HttpSchemeTest {
  private static final String[] TLS_ON_MQTT_ONLY = {"config.security.tls.http=false",
      "security.allowPlaintextCredentials=true", "metrics.serviceMonitor.enabled=true"};

  @Test
  void withTlsOnMqttOnlyEverythingAsksTheHttpPortOverHttp(@TempDir Path dir) throws IOException {
    Manifests release = ChartRender.withTestPod(dir, "north", TLS_ON_MQTT_ONLY);
    NodeConfig node = release.nodeConfig(Files.createDirectories(dir.resolve("node")));
    assertTrue(node.security().tls().enabled(), "the node has its certificate (for MQTT)");
    assertFalse(node.security().tls().onHttp(), "and serves HTTP without TLS");

    assertSchemes(release, "HTTP");
    Map<String, Object> endpoint = Tree.<Map<String, Object>>list(release.one("ServiceMonitor"), "spec.endpoints").get(0);
    assertNull(endpoint.get("scheme"), "the ServiceMonitor scrapes http (its default)");
    assertNull(endpoint.get("tlsConfig"), "with no TLS settings");
    Map<String, Object> test = Tree.<Map<String, Object>>list(release.named("Pod", "-test-alert"), "spec.containers").get(0);
    assertEquals("http://csp-north-csp-edge-node-http.csp-north.svc:8080",
        Tree.<Map<String, Object>>list(test, "env").get(0).get("value"), "the helm test asks over http");
    assertFalse(Tree.<String>list(test, "args").get(0).contains("--cacert"), "without a CA");
  }

  @Test
  void withTlsOnHttpEverythingAsksOverHttps(@TempDir Path dir) throws IOException {
    for (String[] sets : new String[][] {{"metrics.serviceMonitor.enabled=true"},
        {"metrics.serviceMonitor.enabled=true", "config.security.tls.http=true"}}) {
      Manifests release = ChartRender.withTestPod(Files.createDirectories(dir.resolve("s" + sets.length)), "north", sets);
      assertTrue(release.nodeConfig(Files.createDirectories(dir.resolve("n" + sets.length))).security().tls().onHttp());
      assertSchemes(release, "HTTPS");
      Map<String, Object> endpoint = Tree.<Map<String, Object>>list(release.one("ServiceMonitor"), "spec.endpoints").get(0);
      assertEquals("https", endpoint.get("scheme"));
    }
  }

  @Test
  void withoutACertificateEverythingAsksOverHttp() {
    Manifests release = ChartRender.region("north", "tls.secretName=", "security.allowPlaintextCredentials=true");
    assertSchemes(release, "HTTP");
  }

  private static void assertSchemes(Manifests release, String scheme) {
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertEquals(scheme, Tree.string(release.container(), probe + ".httpGet.scheme"), probe);
    }
    assertEquals(scheme.toLowerCase(), Tree.map(release.statefulSet(), "spec.template.metadata.annotations").get("prometheus.io/scheme"),
        "the scrape annotation");
  }
}
