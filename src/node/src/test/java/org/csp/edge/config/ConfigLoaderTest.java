package org.csp.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.csp.edge.decision.CodeMode;
import org.junit.jupiter.api.Test;

/** Defaults, the file, then the environment names that the chart and the runbooks use. */
class ConfigLoaderTest {
  @Test
  void theShippedDefaultFileAndTheBuiltInDefaultsAgree() {
    NodeConfig builtIn = ConfigLoader.load(null, Map.of("NODE_ID", "n1"));
    NodeConfig shipped = ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1"));
    assertEquals(builtIn.policy().defaults(), shipped.policy().defaults());
    assertEquals(builtIn.mqttPort(), shipped.mqttPort());
    assertEquals(builtIn.outbox(), shipped.outbox());
    assertEquals(builtIn.sweepInterval(), shipped.sweepInterval());
    assertEquals(Duration.ofMillis(50), shipped.receiptInterval());
    assertEquals(builtIn.receiptInterval(), shipped.receiptInterval());
    assertEquals(Duration.ofHours(1), shipped.policy().forCode("8F3E").summaryPeriod());
    assertNull(shipped.upstream().url(), "no upstream configured: the embedded broker");
    assertEquals("127.0.0.1", shipped.bindHost(), "loopback unless opened up");
  }

  @Test
  void environmentOverridesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, """
        node: { region: north, mqttPort: 1999 }
        upstream: { url: "tcp://file-broker:1883" }
        policy:
          codes:
            "8f01": { mode: forward }
        """);
    Path password = dir.resolve("pw");
    Files.writeString(password, "s3cret\n");
    NodeConfig c = ConfigLoader.load(file, Map.of(
        "NODE_REGION", "south", "NODE_ID", "edge-7", "NODE_MQTT_PORT", "2883", "NODE_HTTP_PORT", "9090",
        "NODE_UPSTREAM_URL", "ssl://dsp.example:8883", "NODE_UPSTREAM_USERNAME", "csp-south",
        "NODE_UPSTREAM_PASSWORD_FILE", password.toString(), "NODE_CLUSTER_CONFIG", "cluster-config/local.xml"));
    assertEquals("south", c.region());
    assertEquals("edge-7", c.nodeId());
    assertEquals(2883, c.mqttPort());
    assertEquals(9090, c.httpPort());
    assertEquals("ssl://dsp.example:8883", c.upstream().url().toString());
    assertEquals("csp-south", c.upstream().username());
    assertEquals(password, c.upstream().passwordFile());
    assertEquals("cluster-config/local.xml", c.clusterConfig());
    assertEquals("dsp/south/", c.topicPrefix());
    assertEquals(CodeMode.FORWARD, c.policy().forCode("8F01").mode(), "codes in either case");
    assertTrue(!c.toPublicJson().encode().contains("s3cret"));
  }

  @Test
  void aBadSettingStopsTheStartWithItsName() {
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("NODE_UPSTREAM_URL", "http://x:1")))
        .getMessage().contains("NODE_UPSTREAM_URL"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("NODE_MQTT_PORT", "lots")))
        .getMessage().contains("mqttPort"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new io.vertx.core.json.JsonObject()
        .put("node", new io.vertx.core.json.JsonObject().put("receiptInterval", "0ms")), Map.of()))
        .getMessage().contains("node.receiptInterval"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(
        new io.vertx.core.json.JsonObject().put("policy", new io.vertx.core.json.JsonObject().put("defaults",
            new io.vertx.core.json.JsonObject().put("quietPeriod", "soon"))), Map.of()))
        .getMessage().contains("quietPeriod"));
  }
}
