package org.csp.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.csp.edge.decision.RegionalDetection;
import org.junit.jupiter.api.Test;

/** The regional detection settings and the rules per device model, read and refused by their key paths. */
class PolicySettingsTest {
  private static NodeConfig load(JsonObject policy) {
    return ConfigLoader.fromJson(new JsonObject().put("policy", policy), Map.of());
  }

  private static String refused(JsonObject policy) {
    return assertThrows(ConfigException.class, () -> load(policy)).getMessage();
  }

  @Test
  void regionalDetectionIsReadPerCodeOverTheDefaults() {
    NodeConfig c = load(new JsonObject()
        .put("defaults", new JsonObject().put("regionalFactor", 6).put("regionalHalfLife", "1h"))
        .put("codes", new JsonObject().put("8F12", new JsonObject().put("regionalDetection", "threshold"))));
    RegionalDetection defaults = c.policy().defaults().regional();
    assertEquals(RegionalDetection.Mode.BASELINE, defaults.mode());
    assertEquals(6.0, defaults.factor());
    assertEquals(Duration.ofHours(1), defaults.halfLife());
    RegionalDetection code = c.policy().forCode("8F12").regional();
    assertEquals(RegionalDetection.Mode.THRESHOLD, code.mode());
    assertEquals(6.0, code.factor(), "inherited from the defaults");
  }

  @Test
  void badRegionalSettingsAreNamedAllAtOnce() {
    String m = refused(new JsonObject()
        .put("defaults", new JsonObject().put("regionalDetection", "magic").put("regionalReleaseFactor", 1)
            .put("regionalHalfLife", "1h").put("regionalBurstHalfLife", "10m").put("regionalWarmUp", "-1s"))
        .put("codes", new JsonObject().put("8F12", new JsonObject().put("regionalFactor", 1.5).put("regionalReleaseFactor", 3))));
    for (String key : new String[] {"policy.defaults.regionalDetection", "policy.defaults.regionalReleaseFactor",
        "policy.defaults.regionalBurstHalfLife", "policy.defaults.regionalWarmUp", "policy.codes.8F12.regionalFactor"}) {
      assertTrue(m.contains(key), key + " in: " + m);
    }
  }

  @Test
  void badDeviceModelRulesAreNamedByTheirPlaceInTheList() {
    String m = refused(new JsonObject().put("dmcs", new JsonArray()
        .add(new JsonObject().put("manufacturer", "Acme").put("model", "GPF*").put("stormThreshold", 0))
        .add(new JsonObject().put("manufacturer", "*").put("model", "*").put("firmware", "*").put("summaryPeriod", "1h")
            .put("codes", new JsonObject().put("XYZ", new JsonObject()).put("8F12", new JsonObject().put("mode", "drop"))))
        .add("not a map")));
    for (String key : new String[] {"policy.dmcs[0].model", "policy.dmcs[0].firmware", "policy.dmcs[0].stormThreshold",
        "policy.dmcs[1].summaryPeriod", "policy.dmcs[1].codes.XYZ", "policy.dmcs[1].codes.8F12.mode", "policy.dmcs[2]"}) {
      assertTrue(m.contains(key), key + " in: " + m);
    }
  }

  @Test
  void aDmcsThatIsNotAListIsRefused() {
    assertTrue(refused(new JsonObject().put("dmcs", new JsonObject())).contains("policy.dmcs"));
  }

  @Test
  void theShippedFileReadsAndWritesBack() {
    NodeConfig shipped = ConfigLoader.load(java.nio.file.Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1"));
    assertEquals(shipped.policy(), PolicyJson.read(PolicyJson.write(shipped.policy())));
    assertEquals(RegionalDetection.DEFAULTS, shipped.policy().defaults().regional());
  }
}
