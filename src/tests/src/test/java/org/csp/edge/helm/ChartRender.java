package org.csp.edge.helm;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the chart with the real Helm (helm-java's embedded Go library), as `helm template` would for one
 * region's release: release csp-<region> in namespace csp-<region>, the region's values file on top of the chart's.
 */
final class ChartRender {
  static final Path CHART = Path.of("helm", "csp-edge-node");
  static final List<String> REGIONS = List.of("north", "central", "south");
  /** helm-java's template defaults to Kubernetes 1.20, below the chart's kubeVersion; a current one is assumed. */
  static final String KUBE_VERSION = "1.30.0";

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  // Each render costs a few hundred milliseconds in Go: the same release is rendered once per test run.
  private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

  private ChartRender() {}

  static Path regionValues(String region) {
    return CHART.resolve("values-" + region + ".yaml");
  }

  /** The region's release, with {@code sets} as `--set key=value` pairs on top. */
  static Manifests region(String region, String... sets) {
    return CACHE.computeIfAbsent(region + " " + String.join(" ", sets), k -> {
      TemplateCommand template = new Helm(CHART).template()
          .withName("csp-" + region)
          .withNamespace("csp-" + region)
          .withKubeVersion(KUBE_VERSION)
          .withValuesFile(regionValues(region));
      for (String set : sets) {
        String[] kv = set.split("=", 2);
        template = template.set(kv[0], kv[1]);
      }
      return parse(template.call());
    });
  }

  /** The default values (no region file), with {@code sets} on top: release csp-edge-node in namespace csp-test. */
  static Manifests defaults(String... sets) {
    return CACHE.computeIfAbsent("defaults " + String.join(" ", sets), k -> {
      TemplateCommand template = new Helm(CHART).template()
          .withName("csp-edge-node").withNamespace("csp-test").withKubeVersion(KUBE_VERSION);
      for (String set : sets) {
        String[] kv = set.split("=", 2);
        template = template.set(kv[0], kv[1]);
      }
      return parse(template.call());
    });
  }

  /** The region's release with a values file of the test's own on top (no cache: each file is new), then {@code sets}. */
  static Manifests regionWithValues(String region, Path values, String... sets) {
    TemplateCommand template = new Helm(CHART).template()
        .withName("csp-" + region)
        .withNamespace("csp-" + region)
        .withKubeVersion(KUBE_VERSION)
        .withValuesFile(regionValues(region))
        .withValuesFile(values);
    for (String set : sets) {
      String[] kv = set.split("=", 2);
      template = template.set(kv[0], kv[1]);
    }
    return parse(template.call());
  }

  /**
   * The region's release (or the defaults' when {@code region} is null) with the `helm test` pod in it. helm-java's
   * template leaves hooks out: this renders a copy of the chart, written into {@code dir}, whose test pod is not a
   * hook (its helm.sh/hook annotation renamed); nothing else differs.
   */
  static Manifests withTestPod(Path dir, String region, String... sets) throws IOException {
    try (var files = Files.walk(CHART)) {
      for (Path f : files.toList()) {
        Path to = dir.resolve(CHART.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(to);
        else Files.writeString(to, Files.readString(f).replace("helm.sh/hook: test", "csp-edge/was-hook: test"));
      }
    }
    TemplateCommand template = new Helm(dir).template().withKubeVersion(KUBE_VERSION);
    template = region == null ? template.withName("csp-edge-node").withNamespace("csp-test")
        : template.withName("csp-" + region).withNamespace("csp-" + region).withValuesFile(regionValues(region));
    for (String set : sets) {
      String[] kv = set.split("=", 2);
      template = template.set(kv[0], kv[1]);
    }
    return parse(template.call());
  }

  static Manifests parse(String rendered) {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it = YAML.readerForMapOf(Object.class).readValues(rendered)) {
      while (it.hasNext()) {
        Map<String, Object> document = it.next();
        if (document != null && !document.isEmpty()) documents.add(document);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the chart rendered YAML that does not parse:\n" + rendered, e);
    }
    return new Manifests(documents);
  }
}
