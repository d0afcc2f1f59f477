package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's configuration file comes from a ConfigMap rendered from the chart's `config` value. */
class NodeConfigMapTest {
  private final Manifests release = ChartRender.region("north");

  @Test
  void theNodeRunsOnTheMountedConfigMap() throws IOException {
    Map<String, Object> configMap = release.named("ConfigMap", "-config");
    Map<?, ?> parsed = ChartRender.YAML.readValue(release.configFile(), Map.class);
    assertNotNull(parsed.get("policy"), "the storm policy is in the file");

    List<String> args = Tree.list(release.container(), "args");
    assertEquals(List.of("run", "--config"), args.subList(0, 2));
    Path configFile = Path.of(args.get(2));
    Map<String, Object> mount = release.mountAt(configFile.getParent().toString());
    assertEquals(Boolean.TRUE, mount.get("readOnly"));
    assertEquals(Tree.string(configMap, "metadata.name"), Tree.string(release.volume((String) mount.get("name")), "configMap.name"));
    assertEquals("config.yaml", configFile.getFileName().toString(), "the key of the ConfigMap's file");
  }

  /** The chart keeps the image's entrypoint and replaces only its CMD (the arguments). */
  @Test
  void theImageEntrypointRunsAndOnlyTheArgumentsAreReplaced() throws IOException {
    assertNull(Tree.string(release.container(), "command"), "no command: the image's ENTRYPOINT runs");
    String containerfile = Files.readString(Path.of("node", "Containerfile"));
    assertTrue(containerfile.contains("ENTRYPOINT [\"java\"") && containerfile.contains("CMD [\"run\""),
        "node/Containerfile starts the JVM in its ENTRYPOINT and keeps the arguments in CMD");
    assertTrue(containerfile.contains("USER 10001"), "the image's user is the pod's runAsUser");
  }

  @Test
  void aConfigChangeRollsThePods() {
    String checksum = checksum(release);
    assertNotNull(checksum);
    assertEquals(checksum, checksum(ChartRender.region("north", "replicas=7")), "only the configuration counts");
    assertNotEquals(checksum, checksum(ChartRender.region("north", "config.policy.defaults.stormThreshold=20")));
  }

  /** The node itself accepts the rendered file with the chart's environment, and the defaults are the node's. */
  @Test
  void theNodeLoadsTheRenderedConfiguration(@TempDir Path dir) throws IOException {
    NodeConfig chart = release.nodeConfig(dir);
    assertEquals("north", chart.region());
    assertEquals("0.0.0.0", chart.bindHost());
    assertEquals("cluster-config/kubernetes.xml", chart.clusterConfig());
    assertEquals(Path.of("/data"), chart.dataDir());
    assertNotNull(chart.upstream().url(), "publishes to the region's DSP broker");
    assertEquals(Duration.ofHours(1), chart.policy().forCode("8F3E").summaryPeriod());

    NodeConfig shipped = ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1"));
    assertEquals(PolicyJson.write(shipped.policy()), PolicyJson.write(chart.policy()), "the chart's policy is node/config.yaml's");
    assertEquals(shipped.recipients(), chart.recipients(), "the chart's recipients are node/config.yaml's");
    assertEquals(shipped.limits(), chart.limits());
    assertEquals(shipped.outbox(), chart.outbox());
    assertEquals(shipped.sweepInterval(), chart.sweepInterval());
    assertEquals(shipped.receiptInterval(), chart.receiptInterval());
  }

  private static String checksum(Manifests release) {
    return (String) Tree.map(release.statefulSet(), "spec.template.metadata.annotations").get("checksum/config");
  }
}
