package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis sections of the node's configuration (register, inventory) are set through the chart's `config` like
 * the others: the chart's defaults are node/config.yaml's, a value set reaches the node, and a key or value the node
 * would refuse at start is refused at install instead of leaving the pods crash-looping.
 */
class AnalysisValuesTest {
  @Test
  void theChartsRegisterAndInventoryAreTheNodesDefaults(@TempDir Path dir) throws IOException {
    Map<?, ?> values = ChartRender.YAML.readValue(ChartRender.CHART.resolve("values.yaml").toFile(), Map.class);
    Map<?, ?> shippedFile = ChartRender.YAML.readValue(Path.of("node", "config.yaml").toFile(), Map.class);
    Map<?, ?> config = (Map<?, ?>) values.get("config");
    assertEquals(shippedFile.get("register"), config.get("register"), "values.yaml lists the register's settings as node/config.yaml has them");
    assertEquals(shippedFile.get("inventory"), config.get("inventory"), "and the inventory's");

    NodeConfig chart = ChartRender.region("north").nodeConfig(dir);
    NodeConfig shipped = ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1"));
    assertEquals(shipped.register(), chart.register());
    assertEquals(shipped.inventory(), chart.inventory());
  }

  @Test
  void registerAndInventorySettingsReachTheNode(@TempDir Path dir) throws IOException {
    NodeConfig node = ChartRender.region("north", "config.register.window=12h", "config.register.minRateRatio=3",
        "config.register.minDevices=100", "config.inventory.maxDevices=5000000", "config.inventory.maxUploadMiB=256")
        .nodeConfig(dir);
    assertEquals(Duration.ofHours(12), node.register().window());
    assertEquals(3.0, node.register().minRateRatio());
    assertEquals(100, node.register().minDevices());
    assertEquals(5_000_000, node.inventory().maxDevices());
    assertEquals(256L * 1024 * 1024, node.inventory().maxUploadBytes());
  }

  @Test
  void whatTheNodeWouldRefuseAtStartIsRefusedAtInstall() {
    for (String refused : new String[] {
        "config.register.windw=12h",                      // misspelt: the node refuses unknown keys
        "config.register.falseDiscoveryRate.suspected=1",  // a rate below 1
        "config.inventory.maxModels=70000",                // a short a device
        "config.inventory.maxDevice=10"}) {
      Exception e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", refused), refused);
      String key = refused.substring(refused.lastIndexOf('.') + 1, refused.indexOf('='));
      assertTrue(e.getMessage().contains(key), refused + ": " + e.getMessage());
    }
  }

  /** The node's limits on the register's and the digests' durations and rates: refused at install, naming the value. */
  @Test
  void registerAndDigestLimitsTheNodeEnforcesAreRefusedAtInstall(@TempDir Path dir) throws IOException {
    for (String refused : new String[] {
        "config.register.window=90m",           // not whole hours
        "config.register.window=16d",           // over rollups.hourlyRetention (15d)
        "config.register.window=30m",           // under an hour
        "config.register.recomputeEvery=10m",   // over 5m
        "config.register.recomputeEvery=500ms", // under 1s
        "config.digests.lookBack=30d",          // over 14d
        "config.digests.lookBack=15d",
        "config.digests.lookBack=30m"}) {       // under an hour
      Exception e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", refused), refused);
      String key = refused.substring(0, refused.indexOf('='));
      assertTrue(e.getMessage().contains(key), refused + ": the message names the value: " + e.getMessage());
    }
    Path inverted = Files.writeString(dir.resolve("fdr.yaml"),
        "config:\n  register:\n    falseDiscoveryRate: { suspected: 0.01, confirmed: 0.05 }\n");
    Exception e = assertThrows(IllegalStateException.class, () -> ChartRender.regionWithValues("north", inverted));
    assertTrue(e.getMessage().contains("confirmed") && e.getMessage().contains("suspected"), e.getMessage());
  }

  @Test
  void registerAndDigestValuesAtTheNodesLimitsAreInstalledAndLoaded(@TempDir Path dir) throws IOException {
    Path equalRates = Files.writeString(dir.resolve("fdr.yaml"),
        "config:\n  register:\n    falseDiscoveryRate: { suspected: 0.02, confirmed: 0.02 }\n");
    NodeConfig node = ChartRender.regionWithValues("north", equalRates, "config.register.window=15d",
        "config.register.recomputeEvery=1s", "config.digests.lookBack=14d").nodeConfig(Files.createDirectories(dir.resolve("a")));
    assertEquals(Duration.ofDays(15), node.register().window());
    assertEquals(Duration.ofSeconds(1), node.register().recomputeEvery());
    assertEquals(Duration.ofDays(14), node.digests().lookBack());
    assertEquals(0.02, node.register().confirmedFdr());

    node = ChartRender.region("north", "config.register.window=120m", "config.register.recomputeEvery=300000ms",
        "config.digests.lookBack=1h").nodeConfig(Files.createDirectories(dir.resolve("b")));
    assertEquals(Duration.ofHours(2), node.register().window());
    assertEquals(Duration.ofMinutes(5), node.register().recomputeEvery());

    // A longer hourly retention allows a longer window.
    node = ChartRender.region("north", "config.rollups.hourlyRetention=20d", "config.register.window=20d")
        .nodeConfig(Files.createDirectories(dir.resolve("c")));
    assertEquals(Duration.ofDays(20), node.register().window());
  }
}
