package org.csp.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.Inhibition;
import org.junit.jupiter.api.Test;

/** {@code policy.inhibitions} and {@code silences}: read, written back alike, and every bad key named. */
class InhibitionSettingsTest {
  private static NodeConfig load(JsonObject config) {
    return ConfigLoader.fromJson(config.put("node", new JsonObject().put("id", "n1")), Map.of());
  }

  @Test
  void theShippedConfigurationHasTheHubPowerRestoredRuleAndTheDefaultsAgree() throws Exception {
    NodeConfig shipped = ConfigLoader.load(Path.of("node", "config.yaml"), Map.of("NODE_ID", "n1"));
    Inhibition rule = shipped.policy().inhibitions().get(0);
    assertEquals("hub-power-restored", rule.name());
    assertEquals(Set.of("8F35", "8F36"), rule.sourceCodes());
    assertEquals(Set.of("8183"), rule.targetCodes());
    assertEquals(Inhibition.Scope.HUB, rule.scope());
    assertEquals(Duration.ofMinutes(10), rule.duration());
    assertEquals(AlertPolicy.DEFAULTS.inhibitions(), shipped.policy().inhibitions(), "no file means the same rule");
    assertEquals(NodeConfig.Silences.DEFAULTS, shipped.silences());
  }

  @Test
  void rulesAreWrittenBackAsRead() {
    JsonArray rules = new JsonArray().add(new JsonObject().put("name", "tamper").put("sourceCodes", new JsonArray().add("8f3f"))
        .put("targetCodes", new JsonArray().add("8F74").add("8F76")).put("scope", "device").put("duration", "90s"));
    AlertPolicy policy = load(new JsonObject().put("policy", new JsonObject().put("inhibitions", rules))).policy();
    assertEquals(List.of(new Inhibition("tamper", Set.of("8F3F"), Set.of("8F74", "8F76"), Inhibition.Scope.DEVICE,
        Duration.ofSeconds(90))), policy.inhibitions());
    assertEquals(policy, PolicyJson.read(PolicyJson.write(policy)));
    assertEquals(List.of(), load(new JsonObject().put("policy", new JsonObject().put("inhibitions", new JsonArray())))
        .policy().inhibitions(), "[]: none");
  }

  @Test
  void aBadRuleIsNamedByItsKey() {
    String[][] cases = {
        {"{\"name\":\"x\",\"sourceCodes\":[\"8F35\"],\"targetCodes\":[\"8183\"],\"scope\":\"street\",\"duration\":\"1m\"}",
            "policy.inhibitions[0].scope"},
        {"{\"name\":\"x\",\"sourceCodes\":[\"zz\"],\"targetCodes\":[\"8183\"],\"scope\":\"hub\",\"duration\":\"1m\"}",
            "policy.inhibitions[0].sourceCodes"},
        {"{\"name\":\"x\",\"sourceCodes\":[\"8F35\"],\"targetCodes\":[\"8183\"],\"scope\":\"hub\"}",
            "policy.inhibitions[0].duration"},
        {"{\"name\":\"x\",\"sourceCodes\":[\"8F35\"],\"targetCodes\":[\"8183\"],\"scope\":\"hub\",\"duration\":\"1m\",\"colour\":1}",
            "policy.inhibitions[0].colour"},
        {"{\"name\":\"x\",\"sourceCodes\":[\"8F35\"],\"targetCodes\":[\"8183\"],\"scope\":\"hub\",\"duration\":\"soon\"}",
            "policy.inhibitions[0].duration"},
        {"{\"name\":\"x\",\"sourceCodes\":[\"8F35\",\"8183\"],\"targetCodes\":[\"8183\"],\"scope\":\"hub\",\"duration\":\"1m\"}",
            "policy.inhibitions[0]: a code cannot inhibit itself: [8183]"},
    };
    for (String[] c : cases) {
      JsonObject config = new JsonObject().put("policy", new JsonObject().put("inhibitions", new JsonArray().add(new JsonObject(c[0]))));
      ConfigException e = assertThrows(ConfigException.class, () -> load(config), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[1] + " named in: " + e.getMessage());
    }
    JsonObject twice = new JsonObject(
        "{\"name\":\"x\",\"sourceCodes\":[\"8F35\"],\"targetCodes\":[\"8183\"],\"scope\":\"hub\",\"duration\":\"1m\"}");
    ConfigException e = assertThrows(ConfigException.class, () -> load(new JsonObject().put("policy",
        new JsonObject().put("inhibitions", new JsonArray().add(twice).add(twice.copy())))));
    assertTrue(e.getMessage().contains("used twice"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> load(new JsonObject().put("silences", new JsonObject().put("maxActive", 0)
        .put("shelfLife", "1d"))));
    assertTrue(e.getMessage().contains("silences.maxActive") && e.getMessage().contains("silences.shelfLife"), e.getMessage());
  }
}
