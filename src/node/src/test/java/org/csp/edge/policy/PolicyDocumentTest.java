package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.PolicyDocument;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy document from the API: checked as the configuration is, diffed on its JSON tree, kept on disk. */
class PolicyDocumentTest {
  @TempDir Path dir;

  @Test
  void aDocumentIsCheckedByTheConfigurationsRulesEveryProblemNamed() {
    AlertPolicy p = PolicyDocument.check(new JsonObject().put("codes", new JsonObject().put("8f3e", new JsonObject().put("mode", "forward"))));
    assertEquals(CodeMode.FORWARD, p.forCode("8F3E").mode());
    ConfigException e = assertThrows(ConfigException.class, () -> PolicyDocument.check(new JsonObject()
        .put("defaults", new JsonObject().put("stormThreshold", 0).put("releaseThreshold", "x"))
        .put("duplicates", new JsonObject().put("retention", "soon")).put("extra", true)));
    List<String> problems = e.problems();
    assertTrue(problems.stream().anyMatch(s -> s.startsWith("policy.defaults.stormThreshold: ")), problems.toString());
    assertTrue(problems.stream().anyMatch(s -> s.startsWith("policy.defaults.releaseThreshold: ")), problems.toString());
    assertTrue(problems.stream().anyMatch(s -> s.startsWith("policy.duplicates.retention")), problems.toString());
    assertTrue(problems.stream().anyMatch(s -> s.startsWith("policy.extra: unknown setting")), problems.toString());
  }

  @Test
  void aFileThatDoesNotParseIsNamedWithWhereAndWhy() throws Exception {
    Path yaml = Files.writeString(dir.resolve("policy.yaml"), "defaults:\n  summaryPeriod: [1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyCommands.read(yaml));
    assertTrue(e.getMessage().startsWith(yaml + " is not YAML or JSON at line 2, column "), e.getMessage());
    assertTrue(e.getMessage().contains("expected ',' or ']'"), "what the parser expected: " + e.getMessage());
    assertEquals(null, e.getCause(), "the CLI prints the root cause's message, so this message is the root");
    Path list = Files.writeString(dir.resolve("list.yaml"), "- 1\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyCommands.read(list)).getMessage()
        .startsWith(list + " is not a policy document"));
  }

  @Test
  void theDiffWalksTheJsonTreeLeafByLeaf() {
    JsonObject before = PolicyJson.write(AlertPolicy.DEFAULTS);
    JsonObject after = before.copy().put("maxHubsPerGroup", 10).put("someLaterSetting", new JsonArray().add("x"));
    after.getJsonObject("defaults").put("mode", "forward");
    after.put("codes", new JsonObject().put("8F3E", new JsonObject().put("mode", "forward")));
    JsonArray diff = PolicyDiff.between(before, after);
    assertEquals(new JsonArray()
        .add(new JsonObject().put("path", "codes.8F3E").put("from", null).put("to", new JsonObject().put("mode", "forward")))
        .add(new JsonObject().put("path", "defaults.mode").put("from", "consolidate").put("to", "forward"))
        .add(new JsonObject().put("path", "maxHubsPerGroup").put("from", 500).put("to", 10))
        .add(new JsonObject().put("path", "someLaterSetting").put("from", null).put("to", new JsonArray().add("x"))), diff);
    assertEquals(new JsonArray(), PolicyDiff.between(after, after.copy()));
  }

  @Test
  void theFileKeepsEveryVersionAndSkipsALineTornByACrashOrDamaged() throws Exception {
    PolicyLog log = new PolicyLog(dir.resolve("data"));
    PolicyVersion v1 = new PolicyVersion(1, Instant.parse("2026-01-01T00:00:00Z"), "config:n1", "", PolicyVersion.Origin.FILE,
        PolicyJson.write(AlertPolicy.DEFAULTS));
    log.append(v1);
    Files.writeString(log.file(), "{\"version\":2,\"chan", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    PolicyVersion v3 = new PolicyVersion(3, Instant.parse("2026-01-02T00:00:00Z"), "ops", "why", PolicyVersion.Origin.API,
        PolicyJson.write(AlertPolicy.DEFAULTS).put("maxHubsPerGroup", 7));
    log.append(v3);
    // A line damaged on disk, its bytes no longer UTF-8: skipped like a torn one, not the end of the start.
    Files.write(log.file(), new byte[] {(byte) 0xFF, (byte) 0xFE, ' ', 'x', '\n'}, java.nio.file.StandardOpenOption.APPEND);
    assertEquals(List.of(v1, v3), log.read());
    assertNull(new PolicyLog(dir.resolve("none")).read().stream().findAny().orElse(null));
  }
}
