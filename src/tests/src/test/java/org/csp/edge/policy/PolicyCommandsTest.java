package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.Main;
import org.csp.edge.Node;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code csp-edge-node policy get|set|history|rollback} against a running node, as an operator runs them. */
class PolicyCommandsTest {
  @TempDir static Path dir;
  private static PolicyCallers callers;
  private static Node node;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    callers = new PolicyCallers(dir);
    node = TestNodes.start(TestNodes.config(null).put("security", callers.security()));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  private int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    return CommandLines.execute(Main.commandLine(env, InputStream.nullInputStream(), o, e), args, o, e);
  }

  private int policy(String token, String... args) {
    List<String> all = new ArrayList<>(List.of("policy"));
    all.addAll(List.of(args));
    // --token=VALUE: a token may begin with '-' (base64url), which picocli would take for an option.
    all.addAll(List.of("--url", "http://127.0.0.1:" + node.httpPort(), "--token=" + token));
    return run(Map.of(), all.toArray(String[]::new));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void getSetHistoryAndRollbackThroughTheApi() throws Exception {
    assertEquals(0, policy(callers.clientToken, "get", "--document"), err());
    JsonObject document = new JsonObject(out());
    assertTrue(document.containsKey("defaults") && !document.containsKey("version"), out());

    // The document as get --document prints it, changed in YAML, is what set takes.
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "codes:\n  8F3E:\n    mode: forward\ndefaults:\n  stormThreshold: 7\n");
    assertEquals(0, policy(callers.adminToken, "set", file.toString(), "-m", "8F3E singly"), err());
    assertTrue(out().startsWith("version 2  "), out());
    assertTrue(out().contains("ops  \"8F3E singly\""), out());
    assertTrue(out().contains("  defaults.stormThreshold: 5 -> 7"), out());

    assertEquals(0, policy(callers.clientToken, "get"), err());
    JsonObject inForce = new JsonObject(out());
    assertEquals(2, inForce.getInteger("version"));
    assertEquals("api", inForce.getJsonObject("origins").getString("codes.8F3E"));

    // A whole configuration file: its policy section is taken. Run with the token from the environment.
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "node:\n  region: north\npolicy:\n  maxHubsPerGroup: 40\n");
    assertEquals(0, run(Map.of(ApiClient.ENV_TOKEN, callers.adminToken, ApiClient.ENV_URL, "http://127.0.0.1:" + node.httpPort()),
        "policy", "set", config.toString()), err());
    assertTrue(out().contains("maxHubsPerGroup: 500 -> 40"), out());

    assertEquals(0, policy(callers.clientToken, "history"), err());
    assertTrue(out().startsWith("version 1  "), out());
    assertTrue(out().contains("version 3  "), out());

    assertEquals(0, policy(callers.adminToken, "rollback", "1", "-m", "undo"), err());
    assertTrue(out().startsWith("version 4  "), out());
    assertTrue(out().contains("rollback to version 1: undo"), out());
  }

  @Test
  void refusalsAreExplainedFieldByFieldAndExit1() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "defaults:\n  stormThreshold: 0\nbogus: 1\n");
    assertEquals(1, policy(callers.adminToken, "set", file.toString()));
    assertTrue(err().contains("PUT /v1/policy: 400"), err());
    assertTrue(err().contains("\n  policy.defaults.stormThreshold: "), err());
    assertTrue(err().contains("\n  policy.bogus: unknown setting"), err());
    assertEquals("", out());

    assertEquals(1, policy(callers.clientToken, "rollback", "1"));
    assertTrue(err().contains("POST /v1/policy/rollback: 403 this needs an admin token"), err());
    assertEquals(1, policy("not-a-token", "get"));
    assertTrue(err().contains("401"), err());
    assertEquals(1, run(Map.of(), "policy", "get", "--url", "http://127.0.0.1:1"));
    assertTrue(err().contains("cannot reach the node at http://127.0.0.1:1: nothing accepted the connection"), err());
    assertEquals(2, run(Map.of(), "policy", "rollback", "one"));
    // A URL that is not an HTTP one is a usage error, said as such, not a failure to reach it.
    for (String url : List.of("notaurl", "ftp://127.0.0.1:21", "http://")) {
      assertEquals(2, run(Map.of(), "policy", "get", "--url", url), url + ": " + err());
      assertTrue(err().contains("--url (or $NODE_API_URL) must be http://HOST:PORT or https://HOST:PORT, got '" + url + "'"), err());
    }
  }
}
