package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `helm lint --strict`: warnings fail too. helm-java 0.0.21 lints a chart directory with its own values only, so
 * a region is linted as a copy of the chart whose values.yaml is the chart's values merged with the region's, as
 * Helm merges them (maps deeply, everything else replaced). Helm's lint reports a template's `fail` (the chart's
 * checks of its values) only as information, so each variant is rendered as well.
 */
class ChartLintTest {
  @Test
  void theChartLintsWithItsDefaultValues() {
    assertClean(new Helm(ChartRender.CHART).lint().strict().call());
  }

  @ParameterizedTest
  @ValueSource(strings = {"north", "central", "south"})
  void theChartLintsWithEachRegionsValues(String region, @TempDir Path dir) throws IOException {
    assertClean(lintWith(dir, read(ChartRender.regionValues(region))));
  }

  /** The optional parts the defaults leave off (custom metric, ServiceMonitor, TLS, no persistence, ...). */
  @Test
  void theChartLintsWithEveryOptionSwitchedOn(@TempDir Path dir) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> switchedOn = ChartRender.YAML.readValue("""
        autoscaling: { alertsPerSecond: { enabled: true } }
        metrics: { serviceMonitor: { enabled: true, labels: { release: kube-prometheus-stack } } }
        tls: { secretName: csp-edge-tls }
        persistence: { enabled: false }
        digestEmail: { smtp: { existingSecret: csp-edge-smtp } }
        podAntiAffinity: { hostname: required, zone: preferred }
        mqtt: { service: { externalTrafficPolicy: Local, loadBalancerSourceRanges: [10.0.0.0/8] } }
        networkPolicy:
          http: { from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } } }] }
          upstream: { to: [{ ipBlock: { cidr: 192.0.2.0/24 } }] }
        """, Map.class);
    assertClean(lintWith(dir, merge(read(ChartRender.regionValues("north")), switchedOn)));
  }

  private static LintResult lintWith(Path dir, Map<String, Object> overrides) throws IOException {
    Path chart = dir.resolve("csp-edge-node");
    copy(ChartRender.CHART, chart);
    Map<String, Object> values = merge(read(ChartRender.CHART.resolve("values.yaml")), overrides);
    ChartRender.YAML.writeValue(chart.resolve("values.yaml").toFile(), values);
    Manifests rendered = ChartRender.parse(new Helm(chart).template().withName("csp-lint").withNamespace("csp-lint")
        .withKubeVersion(ChartRender.KUBE_VERSION).call());
    assertFalse(rendered.documents().isEmpty());
    return new Helm(chart).lint().strict().call();
  }

  private static void assertClean(LintResult result) {
    String messages = String.join("\n", result.getMessages());
    assertFalse(result.isFailed(), messages);
    assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]")), messages);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    over.forEach((k, v) -> out.merge(k, v, (a, b) -> a instanceof Map && b instanceof Map
        ? merge((Map<String, Object>) a, (Map<String, Object>) b) : b));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file) throws IOException {
    return ChartRender.YAML.readValue(file.toFile(), LinkedHashMap.class);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }
}
