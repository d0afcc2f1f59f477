package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.csp.edge.Node;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.silence.SilenceCommands;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code silence add|list|expire} against a running node: what an operator types, what the node then holds. */
class SilenceCommandsTest {
  private record Run(int exit, String out, String err) {}

  private static Run silence(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = SilenceCommands.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void addListAndExpireASilenceOverTheApi(@TempDir Path dir) throws Exception {
    String admin = HttpTokens.newToken();
    String reader = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("oncall:admin:" + HttpTokens.digest(admin), "viewer:client:" + HttpTokens.digest(reader)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    Node node = TestNodes.start(config);
    try {
      String url = "http://127.0.0.1:" + node.httpPort();
      Map<String, String> env = Map.of(ApiClient.ENV_TOKEN, admin);

      Run added = silence(env, "add", "--url", url, "alertCode=8F1C", "dmc.model=GPF-*", "--duration", "2h",
          "--comment", "INC-4711");
      assertEquals(0, added.exit(), added.err());
      String id = added.out().trim();
      assertTrue(id.matches("[0-9a-f-]{36}"), "prints the new silence's id: " + added.out());

      Run listed = silence(Map.of(), "list", "--url", url, "--token", reader);
      assertEquals(0, listed.exit(), listed.err());
      assertTrue(listed.out().contains(id) && listed.out().contains("active") && listed.out().contains("INC-4711")
          && listed.out().contains("oncall"), listed.out());

      Run notAdmin = silence(Map.of(), "expire", "--url", url, "--token", reader, id);
      assertEquals(1, notAdmin.exit(), "a change needs an admin token");
      assertTrue(notAdmin.err().contains("403"), notAdmin.err());

      Run bad = silence(env, "add", "--url", url, "colour=red", "--duration", "1h");
      assertEquals(2, bad.exit(), "a silence the node finds bad is a usage error");
      assertTrue(bad.err().contains("/matchers/colour"), bad.err());
      assertEquals(2, silence(env, "add", "--url", url, "alertCode=8F1C").exit(), "no end given");
      assertEquals(2, silence(env, "add", "--url", url, "8F1C", "--duration", "1h").exit(), "not name=pattern");

      Run expired = silence(env, "expire", "--url", url, id);
      assertEquals(0, expired.exit(), expired.err());
      Run json = silence(env, "list", "--url", url, "--json");
      JsonObject s = new JsonObject(json.out()).getJsonArray("silences").getJsonObject(0);
      assertEquals("expired", s.getString("status"));
      assertEquals("oncall", s.getString("expiredBy"));
      // A comment is anyone's text: it neither adds a row to the table nor reaches the terminal as control codes.
      String forged = "ok\n" + "x".repeat(36) + "  expired  0  2026-01-01T00:00:00Z  alice  {} \u001b[2J\u202egnirts";
      assertEquals(0, silence(env, "add", "--url", url, "alertCode=8F1D", "--duration", "1h", "--comment", forged).exit());
      Run table = silence(env, "list", "--url", url);
      assertEquals(3, table.out().lines().count(), "a header and two silences: " + table.out());
      assertTrue(table.out().contains("ok\\n") && !table.out().contains("\u001b") && !table.out().contains("\u202e"),
          table.out());
      assertEquals(1, silence(env, "expire", "--url", url, "no-such-silence").exit());
      assertEquals(1, silence(env, "list", "--url", "http://127.0.0.1:1").exit(), "no node there");
    } finally {
      TestNodes.stop(node);
    }
  }
}
