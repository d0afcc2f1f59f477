package org.csp.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import io.vertx.core.json.JsonObject;
import org.csp.edge.ConfigCheck;
import org.junit.jupiter.api.io.TempDir;
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
    assertEquals(builtIn.limits(), shipped.limits(), "node/config.yaml shows every limit at its default");
    assertEquals(builtIn.sweepInterval(), shipped.sweepInterval());
    assertEquals(Duration.ofMillis(50), shipped.receiptInterval());
    assertEquals(builtIn.receiptInterval(), shipped.receiptInterval());
    assertEquals(Duration.ofHours(1), shipped.policy().forCode("8F3E").summaryPeriod());
    assertNull(shipped.upstream().url(), "no upstream configured: the embedded broker");
    assertEquals("127.0.0.1", shipped.bindHost(), "loopback unless opened up");
    assertEquals(builtIn.recipients(), shipped.recipients());
    assertEquals("dno", shipped.recipients().of("8014").name(), "the DNO's voltage alerts");
    assertEquals("dno", shipped.recipients().of("8015").name());
    assertEquals("suppliers", shipped.recipients().of("8F3E").name(), "the rest");
  }

  /** Recipients: a list of {name, codes, weight}, where every code has exactly one recipient. */
  @Test
  void recipientsAreCheckedEntryByEntryAndAcrossEntriesEachProblemByItsPath() {
    NodeConfig c = ConfigLoader.fromJson(new JsonObject("""
        {"recipients": [{"name": "dno", "codes": ["8014", "8f15"], "weight": 2},
                        {"name": "gas", "codes": ["8F36"]},
                        {"name": "rest", "codes": ["*"], "weight": 5}]}"""), Map.of("NODE_ID", "n1"));
    assertEquals("dno", c.recipients().of("8F15").name(), "codes in upper case");
    assertEquals(2, c.recipients().named("dno").weight());
    assertEquals(1, c.recipients().named("gas").weight(), "weight 1 when left out");
    assertEquals("rest", c.recipients().of("8F3E").name());

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject("""
        {"recipients": [{"name": "dno", "codes": ["8014", "8015"], "weight": 0},
                        {"name": "dno", "codes": ["8015", "80X1"], "wieght": 1},
                        {"name": "a/b", "codes": ["*"]},
                        {"name": "more", "codes": ["*"]},
                        {"name": "none", "codes": []},
                        "suppliers"]}"""), Map.of("NODE_ID", "n1")));
    List<String> problems = e.problems();
    for (String expected : List.of(
        "recipients[0].weight: must be 1..1000, got 0",
        "recipients[1].name: 'dno' is already the name of recipients[0]",
        "recipients[1].codes: 8015 is listed by recipients[0] already",
        "recipients[1].codes: '80X1' is not an alert code",
        "recipients[1].wieght: unknown setting",
        "recipients[2].name: must be 1 to 64 letters",
        "recipients[3].codes: only one recipient takes the rest (*): recipients[2] does already",
        "recipients[4].codes: must list the recipient's alert codes",
        "recipients[5]: must be a recipient")) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), expected + " in " + problems);
    }
    assertEquals(9, problems.size(), String.join("\n", problems));

    ConfigException noRest = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject("""
        {"recipients": [{"name": "dno", "codes": ["8014"]}]}"""), Map.of("NODE_ID", "n1")));
    assertTrue(noRest.problems().get(0).startsWith("recipients: no recipient takes the rest"), noRest.problems().toString());
    ConfigException notAList = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject("""
        {"recipients": {"name": "dno"}}"""), Map.of("NODE_ID", "n1")));
    assertEquals(List.of("recipients: must be a list, got '{\"name\":\"dno\"}'"), notAList.problems());
  }

  @Test
  void aSectionOrKeyWrittenTwiceIsRefusedNotReadAsItsLastValue(@TempDir Path dir) throws Exception {
    Path twice = Files.writeString(dir.resolve("twice.yaml"), "node:\n  mqttPort: 41340\nnode:\n  id: n1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(twice, Map.of()));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("Duplicate field 'node'"), e.getMessage());
    Path key = Files.writeString(dir.resolve("key.yaml"), "node:\n  id: n1\n  id: n2\n");
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(key, Map.of())).getMessage()
        .contains("Duplicate field 'id'"));
  }

  @Test
  void anUpstreamClientIdThatIsNoMqttStringIsRefused() {
    for (String id : new String[] {"ed\u0000ge", "edge\n1", "x".repeat(257)}) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
          .put("node", new JsonObject().put("id", "n1")).put("upstream", new JsonObject().put("clientId", id)), Map.of()), id);
      assertTrue(e.getMessage().contains("upstream.clientId: must be at most 256 characters without control"), e.getMessage());
    }
  }

  @Test
  void twoServersOnOnePortAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("node", new JsonObject().put("id", "n1").put("mqttPort", 41340).put("httpPort", 41340)), Map.of()));
    assertTrue(e.getMessage().contains("node.httpPort: must differ from node.mqttPort (41340)"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("node", new JsonObject().put("id", "n1").put("mqttPort", 41341))
        .put("embeddedBroker", new JsonObject().put("port", 41341)), Map.of()));
    assertTrue(e.getMessage().contains("embeddedBroker.port: must differ"), e.getMessage());
    ConfigLoader.fromJson(new JsonObject().put("node", new JsonObject().put("id", "n1").put("mqttPort", 0).put("httpPort", 0)),
        Map.of()); // a free port each
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
    // Durations past a century (past a long, past milliseconds): refused by name, as any bad value.
    for (String far : new String[] {"9999999999999999d", "99999999999999999999ms", "36501d"}) {
      assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new io.vertx.core.json.JsonObject()
          .put("outbox", new io.vertx.core.json.JsonObject().put("drainTimeout", far)), Map.of()))
          .getMessage().contains("outbox.drainTimeout"), far);
    }
  }

  @Test
  void unknownKeysAndOutOfRangeValuesAreRefusedAllAtOnceEachByItsKeyPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, """
        node: { mqttPrt: 1999, sweepInterval: 5ms }
        upstream: { reconnectMin: 0ms, reconnectMax: 1s, topicPrefix: "dsp/#/" }
        outbox: { capacity: 10, resumeAt: 10 }
        limits: { burst: 0 }
        security: { mqtt: { loginThreads: 0 } }
        policy:
          defaults: { stormThreshold: 5, releaseThreshold: 6 }
          codes:
            "8F3": { mode: forward }
            "8F3E": { sumaryPeriod: 1h }
        metrics: {}
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of("NODE_ID", "n1")));
    List<String> problems = e.problems();
    for (String expected : List.of(
        "node.mqttPrt: unknown setting",
        "node.sweepInterval: must be at least 10ms, got 5ms",
        "upstream.reconnectMin: must be at least 1ms, got 0ms",
        "upstream.topicPrefix: must be a topic prefix",
        "outbox.resumeAt: must be below outbox.capacity (10), got 10",
        "limits.burst: must be at least 1, got 0",
        "security.mqtt.loginThreads: must be 1..256, got 0",
        "policy.defaults.releaseThreshold: must be at most stormThreshold (5), got 6",
        "policy.codes.8F3: not an alert code",
        "policy.codes.8F3E.sumaryPeriod: unknown setting",
        "metrics: unknown setting")) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), expected + " in " + problems);
    }
    assertEquals(11, problems.size(), String.join("\n", problems));
    assertTrue(e.getMessage().startsWith("11 problems:"), e.getMessage());
  }

  /** The console is on by default; its live stream's bounds are settings checked for range, each named when refused. */
  @Test
  void theConsoleAndItsLiveStreamBounds() {
    NodeConfig.Console defaults = ConfigLoader.fromJson(new JsonObject(), Map.of("NODE_ID", "n1")).console();
    assertEquals(new NodeConfig.Console(true, java.time.Duration.ofSeconds(1), 10, 16), defaults);
    NodeConfig.Console set = ConfigLoader.fromJson(new JsonObject().put("console", new JsonObject().put("enabled", false)
        .put("liveInterval", "250ms").put("liveTop", 5).put("liveMaxSubscribers", 2)), Map.of("NODE_ID", "n1")).console();
    assertEquals(new NodeConfig.Console(false, java.time.Duration.ofMillis(250), 5, 2), set);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("console",
        new JsonObject().put("liveInterval", "10ms").put("liveTop", 0).put("liveMaxSubscribers", 0).put("theme", "dark")),
        Map.of("NODE_ID", "n1")));
    for (String key : List.of("console.liveInterval", "console.liveTop", "console.liveMaxSubscribers", "console.theme")) {
      assertTrue(e.getMessage().contains(key), key + " named: " + e.getMessage());
    }
  }

  /** The record that policy previews replay: bounded, its keys checked for range and unknown ones refused. */
  @Test
  void thePreviewRecordIsBoundedAndItsKeysChecked() {
    assertEquals(NodeConfig.Preview.DEFAULTS, ConfigLoader.fromJson(new JsonObject(), Map.of("NODE_ID", "n1")).preview());
    assertEquals(NodeConfig.Preview.DEFAULTS, ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1")).preview());
    NodeConfig.Preview set = ConfigLoader.fromJson(new JsonObject().put("preview", new JsonObject().put("recordSize", 1000)
        .put("window", "10m").put("slices", 10).put("timeout", "5s")), Map.of("NODE_ID", "n1")).preview();
    assertEquals(new NodeConfig.Preview(1000, Duration.ofMinutes(10), 10, Duration.ofSeconds(5)), set);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("preview",
        new JsonObject().put("recordSize", 5).put("slices", 0).put("window", "1s").put("timeout", "10ms").put("keep", "all")),
        Map.of("NODE_ID", "n1")));
    for (String key : List.of("preview.recordSize", "preview.slices", "preview.window", "preview.timeout", "preview.keep")) {
      assertTrue(e.getMessage().contains(key), key + " named: " + e.getMessage());
    }
  }

  /** The inventory's bounds: the shipped file's are the defaults; each key checked for range, unknown ones refused. */
  @Test
  void theInventoryIsBoundedAndItsKeysChecked() {
    assertEquals(NodeConfig.Inventory.DEFAULTS, ConfigLoader.fromJson(new JsonObject(), Map.of("NODE_ID", "n1")).inventory());
    assertEquals(NodeConfig.Inventory.DEFAULTS, ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1")).inventory());
    NodeConfig.Inventory set = ConfigLoader.fromJson(new JsonObject().put("inventory", new JsonObject().put("maxUploadMiB", 2)
        .put("maxDevices", 1000).put("maxModels", 10).put("refusedListed", 5).put("chunkBytes", 8192)), Map.of("NODE_ID", "n1")).inventory();
    assertEquals(new NodeConfig.Inventory(2L << 20, 1000, 10, 5, 8192), set);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("inventory",
        new JsonObject().put("maxUploadMiB", 0).put("maxDevices", 0).put("maxModels", 70_000).put("refusedListed", -1)
            .put("chunkBytes", 10).put("merge", true)), Map.of("NODE_ID", "n1")));
    for (String key : List.of("inventory.maxUploadMiB", "inventory.maxDevices", "inventory.maxModels", "inventory.refusedListed",
        "inventory.chunkBytes", "inventory.merge")) {
      assertTrue(e.getMessage().contains(key), key + " named: " + e.getMessage());
    }
  }

  /** The register's certainty: defaults as the issue asks, every key checked for range, unknown ones refused. */
  @Test
  void theRegistersCertaintyIsConfiguredAndChecked() {
    NodeConfig.Register defaults = new NodeConfig.Register(Duration.ofHours(24), Duration.ofMinutes(5), 0.01, 0.001, 2, 30);
    assertEquals(defaults, ConfigLoader.fromJson(new JsonObject(), Map.of("NODE_ID", "n1")).register());
    assertEquals(defaults, ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1")).register(),
        "the shipped file and the built-in defaults agree");
    NodeConfig.Register set = ConfigLoader.fromJson(new JsonObject().put("register", new JsonObject().put("window", "6h")
        .put("recomputeEvery", "2s").put("falseDiscoveryRate", new JsonObject().put("suspected", 0.05).put("confirmed", 0.01))
        .put("minRateRatio", 1.5).put("minDevices", 10)), Map.of("NODE_ID", "n1")).register();
    assertEquals(new NodeConfig.Register(Duration.ofHours(6), Duration.ofSeconds(2), 0.05, 0.01, 1.5, 10), set);
    String problems = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("register",
        new JsonObject().put("window", "90m").put("recomputeEvery", "10m").put("falseDiscoveryRate",
            new JsonObject().put("suspected", 1.5).put("confirmed", 0).put("typo", 1)).put("minRateRatio", 0.5)
            .put("minDevices", 0).put("colour", "red")), Map.of("NODE_ID", "n1"))).getMessage();
    for (String key : List.of("register.window", "register.recomputeEvery", "register.falseDiscoveryRate.suspected",
        "register.falseDiscoveryRate.confirmed", "register.falseDiscoveryRate.typo", "register.minRateRatio",
        "register.minDevices", "register.colour")) {
      assertTrue(problems.contains(key), key + " in: " + problems);
    }
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("register",
        new JsonObject().put("falseDiscoveryRate", new JsonObject().put("suspected", 0.001).put("confirmed", 0.01))),
        Map.of("NODE_ID", "n1"))).getMessage().contains("register.falseDiscoveryRate.confirmed"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("register",
        new JsonObject().put("window", "30d")), Map.of("NODE_ID", "n1"))).getMessage().contains("rollups.hourlyRetention"));
  }

  /** Every queue a client can fill has a bound, checked like any setting; the stop has one budget, longer than the drain. */
  @Test
  void theRollupsKeepWhatTheOperationsGroupNeedsAndTheirStoreDefaultsToTheDataDirectory(@TempDir Path dir) throws Exception {
    NodeConfig defaults = ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1", "NODE_DATA_DIR", dir.toString()));
    assertTrue(defaults.rollups().enabled());
    assertEquals(Duration.ofDays(15), defaults.rollups().hourlyRetention());
    assertEquals(Duration.ofDays(400), defaults.rollups().dailyRetention());
    assertEquals("jdbc:h2:file:" + dir.resolve("rollups").resolve("rollups").toAbsolutePath(), defaults.rollups().storeUrl());
    assertEquals(ConfigLoader.load(null, Map.of("NODE_ID", "n1", "NODE_DATA_DIR", dir.toString())).rollups(), defaults.rollups(),
        "the shipped file and the built-in defaults agree");

    Path password = dir.resolve("db-password");
    Files.writeString(password, "pg-secret\n");
    NodeConfig pg = ConfigLoader.load(null, Map.of("NODE_ID", "n1", "NODE_ROLLUPS_DB_URL", "jdbc:postgresql://db:5432/r",
        "NODE_ROLLUPS_DB_USERNAME", "csp", "NODE_ROLLUPS_DB_PASSWORD_FILE", password.toString(), "NODE_ROLLUPS", "false"));
    assertEquals("jdbc:postgresql://db:5432/r", pg.rollups().storeUrl());
    assertEquals("csp", pg.rollups().storeUsername());
    assertEquals("pg-secret", pg.rollups().password());
    assertTrue(!pg.rollups().enabled());
    assertTrue(!pg.rollups().toString().contains("pg-secret"), "the password never prints");

    String problems = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("rollups",
        new JsonObject().put("hourlyRetention", "7d").put("dailyRetention", "30d").put("topItems", 100)
            .put("store", new JsonObject().put("url", "jdbc:mysql://db/r"))), Map.of("NODE_ID", "n1"))).getMessage();
    for (String key : List.of("rollups.hourlyRetention", "rollups.dailyRetention", "rollups.topItems", "rollups.store.url")) {
      assertTrue(problems.contains(key), key + " in: " + problems);
    }
  }

  @Test
  void digestsAreDailyByDefaultAndTheirPeriodDelayAndLookBackAreChecked() throws Exception {
    NodeConfig defaults = ConfigLoader.fromJson(new JsonObject(), Map.of("NODE_ID", "n1"));
    assertEquals(new NodeConfig.Digests(true, Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofDays(7), 10), defaults.digests());
    Path dir = Files.createTempDirectory("config-digests");
    assertEquals(defaults.digests(), ConfigLoader.load(Path.of("node/config.yaml"), Map.of("NODE_ID", "n1",
        "NODE_DATA_DIR", dir.toString())).digests(), "the shipped file and the built-in defaults agree");
    NodeConfig hourly = ConfigLoader.fromJson(new JsonObject().put("digests", new JsonObject().put("period", "6h")),
        Map.of("NODE_ID", "n1"));
    assertEquals(Duration.ofHours(6), hourly.digests().period());

    String problems = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("rollups", new JsonObject().put("flushInterval", "1m"))
        .put("digests", new JsonObject().put("period", "5h").put("delay", "1m").put("lookBack", "30d").put("top", 0)
            .put("colour", "blue")), Map.of("NODE_ID", "n1"))).getMessage();
    for (String key : List.of("digests.period", "digests.delay", "digests.lookBack", "digests.top", "digests.colour")) {
      assertTrue(problems.contains(key), key + " in: " + problems);
    }
    assertTrue(problems.contains("whole hours that divide a day"), problems);

    assertTrue(!defaults.digests().email().enabled(), "e-mail off by default");
    String mail = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("digests",
        new JsonObject().put("email", new JsonObject().put("enabled", true).put("smtp", new JsonObject().put("startTls", "maybe"))
            .put("to", new JsonObject().put("nobody", new io.vertx.core.json.JsonArray().add("a@b.example"))
                .put("dno", new io.vertx.core.json.JsonArray().add("not-an-address"))))), Map.of("NODE_ID", "n1"))).getMessage();
    for (String key : List.of("digests.email.smtp.host", "digests.email.smtp.startTls", "digests.email.from",
        "digests.email.to.nobody", "digests.email.to.dno")) {
      assertTrue(mail.contains(key), key + " in: " + mail);
    }
    // A login with half its parts would fail at every digest: refused at start instead.
    JsonObject login = new JsonObject().put("enabled", true).put("from", "edge@csp.example")
        .put("to", new JsonObject().put("dno", new io.vertx.core.json.JsonArray().add("ops@dno.example")));
    String noPassword = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("digests",
        new JsonObject().put("email", login.copy().put("smtp", new JsonObject().put("host", "smtp.example").put("username", "edge")))),
        Map.of("NODE_ID", "n1"))).getMessage();
    assertTrue(noPassword.contains("digests.email.smtp.passwordFile"), noPassword);
    String noUser = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject().put("digests",
        new JsonObject().put("email", login.copy().put("smtp", new JsonObject().put("host", "smtp.example")
            .put("passwordFile", "/etc/csp-edge-node/smtp/password")))), Map.of("NODE_ID", "n1"))).getMessage();
    assertTrue(noUser.contains("digests.email.smtp.username"), noUser);
    assertTrue(ConfigLoader.fromJson(new JsonObject().put("digests", new JsonObject().put("email",
        login.copy().put("smtp", new JsonObject().put("host", "smtp.example")))), Map.of("NODE_ID", "n1"))
        .digests().email().enabled(), "a server that takes mail without a login needs neither");
  }

  @Test
  void theBoundsAndTheStopBudgetAreSettingsCheckedForRange() {
    NodeConfig defaults = ConfigLoader.fromJson(new JsonObject(), Map.of("NODE_ID", "n1"));
    assertEquals(256L * 1024 * 1024, defaults.outbox().capacityBytes());
    assertEquals(java.time.Duration.ofSeconds(60), defaults.stopTimeout(), "drainTimeout 20s + 40s");
    assertEquals(100_000, defaults.maxGatheredReceipts());
    assertEquals(1000, defaults.limits().maxPendingAcksPerConnection());
    assertEquals(64 * 1024, defaults.limits().maxPendingOutputBytesPerConnection(), "Netty's own default mark");
    NodeConfig longDrain = ConfigLoader.fromJson(new JsonObject().put("outbox", new JsonObject().put("drainTimeout", "2m")),
        Map.of("NODE_ID", "n1"));
    assertEquals(java.time.Duration.ofSeconds(160), longDrain.stopTimeout(), "follows a longer drain when not set");
    assertEquals(java.time.Duration.ofSeconds(105),
        ConfigLoader.load(null, Map.of("NODE_ID", "n1", "NODE_STOP_TIMEOUT", "105s")).stopTimeout(), "the chart's way");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("node", new JsonObject().put("stopTimeout", "10s").put("maxGatheredReceipts", 0))
        .put("outbox", new JsonObject().put("capacityBytes", 1000).put("drainTimeout", "30s"))
        .put("limits", new JsonObject().put("maxPendingAcksPerConnection", 70_000).put("maxPendingOutputBytesPerConnection", 100)),
        Map.of("NODE_ID", "n1")));
    assertEquals(List.of(
        "node.maxGatheredReceipts: must be at least 1, got 0",
        "limits.maxPendingAcksPerConnection: must be 1..65535, got 70000",
        "limits.maxPendingOutputBytesPerConnection: must be 1024..67108864, got 100",
        "outbox.capacityBytes: must be at least 1048576, got 1000",
        "node.stopTimeout: must be longer than outbox.drainTimeout (30s): the drain is one part of the stop; got 10s"),
        e.problems());
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("NODE_ID", "n1",
        "NODE_STOP_TIMEOUT", "1s"))).getMessage().contains("node.stopTimeout (NODE_STOP_TIMEOUT): must be at least 5s"));
  }

  @Test
  void aTopicPrefixMustBeAPrefixAndTheBackoffMustGrow() {
    for (String prefix : List.of("", "dsp/+/", "#", "dsp/{region}")) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
          .put("upstream", new JsonObject().put("topicPrefix", prefix)), Map.of("NODE_ID", "n1")), prefix);
      assertTrue(e.getMessage().startsWith("upstream.topicPrefix:"), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject()
        .put("upstream", new JsonObject().put("reconnectMin", "10s").put("reconnectMax", "1s")), Map.of("NODE_ID", "n1")));
    assertEquals("upstream.reconnectMax: must be at least upstream.reconnectMin (10s), got 1s", e.getMessage());
  }

  @Test
  void environmentOverridesAreCheckedLikeTheFileAndUnknownNodeVariablesAreWarnedAbout() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("NODE_ID", "n1",
        "NODE_MQTT_PORT", "70000", "NODE_REGION", "North Pole", "NODE_ALLOW_ANONYMOUS", "perhaps")));
    assertEquals(List.of(
        "node.region (NODE_REGION): must be a short lower-case name such as north, central or south, got 'North Pole'",
        "node.mqttPort (NODE_MQTT_PORT): must be 0..65535 (0 picks a free port), got 70000",
        "security.allowAnonymous (NODE_ALLOW_ANONYMOUS): must be true or false, got 'perhaps'"), e.problems());
    List<String> warnings = ConfigLoader.unknownEnvironment(Map.of("NODE_MQTT_PROT", "1", "NODE_CLUSTER_NAME", "x",
        "NODE_SERVICE_HOST", "10.0.0.1", "NODE_REGION", "north", "PATH", "/bin"));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("NODE_MQTT_PROT is set but is not a setting"), warnings.get(0));
  }

  /**
   * The variables the cluster configurations and the logging read are checked with the rest: a cluster configuration
   * that does not read one (single.xml and the quorum) ignored a wrong value, and logback fell back to its defaults
   * without a word; and the quorum's two variables were warned about as misspelt.
   */
  @Test
  void variablesReadByTheClusterConfigurationAndTheLoggingAreCheckedToo() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("NODE_ID", "n1",
        "NODE_HUB_BACKUPS", "9", "NODE_CLUSTER_QUORUM", "x", "NODE_LOG_LEVEL", "LOUD", "NODE_LOG_FORMAT", "xml",
        "NODE_HAZELCAST_PORT", "0", "NODE_CLUSTER_NAME", "a b")));
    assertEquals(List.of(
        "NODE_CLUSTER_NAME: must be printable ASCII without spaces, quotes, '<', '>' or '&', at most 128, got 'a b'",
        "NODE_HUB_BACKUPS: must be a whole number 0..6 (Hazelcast's limit), got '9'",
        "NODE_CLUSTER_QUORUM: must be a whole number of members, 1 (no quorum) or more, got 'x'",
        "NODE_HAZELCAST_PORT: must be a port 1..65535, got '0'",
        "NODE_LOG_LEVEL: must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF (empty: INFO), got 'LOUD'",
        "NODE_LOG_FORMAT: must be json, or text (empty: text), got 'xml'"), e.problems());
    // csp:prod: a name clusters of earlier releases run under (their members must be able to join in a rolling upgrade).
    NodeConfig fine = ConfigLoader.load(null, Map.of("NODE_ID", "n1", "NODE_HUB_BACKUPS", "2", "NODE_CLUSTER_QUORUM", "2",
        "NODE_CLUSTER_HEARTBEAT_TOLERANCE", "5", "NODE_LOG_LEVEL", "warn", "NODE_LOG_FORMAT", "", "NODE_HUB_IDLE_SECONDS", "0",
        "NODE_CLUSTER_NAME", "csp:prod"));
    assertEquals("n1", fine.nodeId());
    assertEquals(List.of(), ConfigLoader.unknownEnvironment(Map.of("NODE_CLUSTER_QUORUM", "2",
        "NODE_CLUSTER_HEARTBEAT_TOLERANCE", "5")), "the quorum's variables are settings");
  }

  /** Every alert the intake takes must fit one upstream event, or it would be acknowledged and never delivered. */
  @Test
  void anUpstreamLimitTooSmallForTheAlertsTakenIsRefused() {
    JsonObject small = new JsonObject().put("upstream", new JsonObject().put("maxMessageBytes", 4096));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(small, Map.of("NODE_ID", "n1")));
    assertEquals(List.of("upstream.maxMessageBytes: must be at least limits.maxPayloadBase64 + 3072 (19456), so that every"
        + " alert the intake takes fits one event; got 4096: raise it, or lower limits.maxPayloadBase64"), e.problems());
    ConfigLoader.fromJson(small.copy().put("limits", new JsonObject().put("maxPayloadBase64", 1024)), Map.of("NODE_ID", "n1"));
    ConfigLoader.fromJson(new JsonObject().put("upstream", new JsonObject().put("maxMessageBytes", 19456)), Map.of("NODE_ID", "n1"));
  }

  /** A file that is not a configuration is refused by where and why, without its text: it may hold a secret. */
  @Test
  void aFileThatIsNotAConfigurationIsRefusedWithoutQuotingIt(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("token.txt");
    Files.writeString(secret, "s3cr3t-token-value\nanother line\n");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "node:\n  region: north\n  mqttPort: [1\nupstream: password-is-hunter2\n");
    String notSettings = assertThrows(ConfigException.class, () -> ConfigLoader.load(secret, Map.of("NODE_ID", "n1"))).getMessage();
    assertTrue(notSettings.contains("it is not YAML sections of settings"), notSettings);
    assertTrue(!notSettings.contains("s3cr3t"), notSettings);
    String notYaml = assertThrows(ConfigException.class, () -> ConfigLoader.load(broken, Map.of("NODE_ID", "n1"))).getMessage();
    assertTrue(notYaml.contains("not YAML at line 4"), notYaml);
    assertTrue(!notYaml.contains("hunter2"), notYaml);
  }

  @Test
  void configCheckSaysWhatTheStartWouldSayWithoutStarting(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, ConfigCheck.run(new String[] {"check", "node/config.yaml"}, Map.of("NODE_ID", "n1"),
        new PrintStream(out), new PrintStream(err)));
    assertTrue(out.toString().startsWith("configuration OK: node/config.yaml"), out.toString());
    assertTrue(out.toString().contains("central/n1 on 127.0.0.1"), out.toString());

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "upstream: { reconnectMin: 0ms }\nnode: { colour: blue }\n");
    out.reset();
    assertEquals(2, ConfigCheck.run(new String[] {"check", bad.toString()}, Map.of("NODE_ID", "n1"),
        new PrintStream(out), new PrintStream(err)));
    assertEquals("", out.toString());
    assertTrue(err.toString().contains("upstream.reconnectMin: must be at least 1ms, got 0ms"), err.toString());
    assertTrue(err.toString().contains("node.colour: unknown setting"), err.toString());
  }

  /** A cluster configuration the start cannot read is refused by the check too: before, the check said OK. */
  @Test
  void configCheckReadsTheClusterConfigurationAsTheStartDoes(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path missing = dir.resolve("no-such-cluster.xml");
    assertEquals(2, ConfigCheck.run(new String[] {"check", "node/config.yaml"},
        Map.of("NODE_ID", "n1", "NODE_CLUSTER_CONFIG", missing.toString()), new PrintStream(out), new PrintStream(err)));
    assertTrue(err.toString().contains("cluster.config (NODE_CLUSTER_CONFIG): cluster configuration " + missing + " not found"),
        err.toString());

    Path noHubMap = dir.resolve("bare.xml");
    Files.writeString(noHubMap, "<hazelcast xmlns=\"http://www.hazelcast.com/schema/config\"><cluster-name>x</cluster-name></hazelcast>");
    err.reset();
    assertEquals(2, ConfigCheck.run(new String[] {"check", "node/config.yaml"},
        Map.of("NODE_ID", "n1", "NODE_CLUSTER_CONFIG", noHubMap.toString()), new PrintStream(out), new PrintStream(err)));
    assertTrue(err.toString().contains("has no map 'csp-hub-state'"), err.toString());

    err.reset();
    assertEquals(0, ConfigCheck.run(new String[] {"check", "node/config.yaml"},
        Map.of("NODE_ID", "n1", "NODE_CLUSTER_CONFIG", "cluster-config/local.xml"), new PrintStream(out), new PrintStream(err)),
        err.toString());
  }

  /** README: the data directory defaults to {@code $TMPDIR/csp-edge-node/<region>-<id>}; Java's own ignores TMPDIR. */
  @Test
  void theDefaultDataDirectoryIsUnderTmpdir(@TempDir Path dir) {
    NodeConfig c = ConfigLoader.load(null, Map.of("NODE_ID", "n1", "NODE_REGION", "south", "TMPDIR", dir.toString()));
    assertEquals(dir.resolve("csp-edge-node").resolve("south-n1"), c.dataDir());
    NodeConfig unset = ConfigLoader.load(null, Map.of("NODE_ID", "n1", "NODE_REGION", "south"));
    assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "csp-edge-node", "south-n1"), unset.dataDir());
  }

  /** One code named in two cases had one rule silently win: a {@code mode: forward} could be lost. Refused. */
  @Test
  void aCodeNamedTwiceInDifferentCasesIsRefused() {
    JsonObject policy = new JsonObject().put("codes", new JsonObject()
        .put("8f3e", new JsonObject().put("mode", "forward")).put("8F3E", new JsonObject().put("mode", "consolidate")))
        .put("dmcs", new io.vertx.core.json.JsonArray().add(new JsonObject().put("manufacturer", "Acme")
            .put("codes", new JsonObject().put("80a1", new JsonObject().put("stormThreshold", 5)).put("80A1", new JsonObject()))));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson(new JsonObject().put("policy", policy), Map.of("NODE_ID", "n1")));
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("policy.codes.") && p.contains("the same code as")),
        e.problems().toString());
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("policy.dmcs[0].codes.80") && p.contains("the same code as")),
        e.problems().toString());
  }

  /** Devices choose the models: the default cap of the rollups' cells follows the heap where it is small. */
  @Test
  void theRollupsCellCapFollowsASmallHeap() {
    assertEquals(100_000, RollupSettings.defaultMaxCells(4L << 30));
    assertEquals(32_768, RollupSettings.defaultMaxCells(256L << 20));
    assertEquals(1, RollupSettings.defaultMaxCells(0));
  }
}
