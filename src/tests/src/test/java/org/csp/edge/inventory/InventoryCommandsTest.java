package org.csp.edge.inventory;

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
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inventory import|show} against a running node: what an operator types, what the node then holds. */
class InventoryCommandsTest {
  private record Run(int exit, String out, String err) {}

  private static Run inventory(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = InventoryCommands.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void importAFileAndShowWhatIsInForce(@TempDir Path dir) throws Exception {
    String admin = HttpTokens.newToken();
    String reader = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("oncall:admin:" + HttpTokens.digest(admin), "viewer:client:" + HttpTokens.digest(reader)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    Node node = TestNodes.start(config);
    try {
      Map<String, String> env = Map.of(ApiClient.ENV_URL, "http://127.0.0.1:" + node.httpPort(), ApiClient.ENV_TOKEN, admin);
      Path csv = dir.resolve("inventory.csv");
      Files.writeString(csv, "deviceId,manufacturer,model,firmware\n"
          + "00-1B-C5-0C-00-00-51-01,Acme,E470,1.0\n00-1B-C5-0C-00-00-51-02,Acme,E470,1.0\n"
          + "00-1B-C5-0C-00-00-51-03,Bravo,GPF-2,3.0\nbad,Acme,E470,1.0\n");

      Run none = inventory(env, "show");
      assertEquals(0, none.exit(), none.err());
      assertTrue(none.out().contains("no inventory"), none.out());

      Run imported = inventory(env, "import", csv.toString());
      assertEquals(0, imported.exit(), imported.err());
      assertTrue(imported.out().contains("3 devices of 2 models") && imported.out().contains("1 rows refused")
          && imported.out().contains("line 5: deviceId 'bad'"), imported.out());

      Run shown = inventory(env, "show", "--token", reader);
      assertEquals(0, shown.exit(), shown.err());
      assertTrue(shown.out().contains("version 1: 3 devices of 2 models") && shown.out().contains("by oncall"), shown.out());
      Run json = inventory(env, "show", "--json");
      assertEquals(3, new JsonObject(json.out()).getInteger("devices"));

      Run notAdmin = inventory(env, "import", "--token", reader, csv.toString());
      assertEquals(1, notAdmin.exit(), "an import needs an admin token");
      assertTrue(notAdmin.err().contains("403"), notAdmin.err());

      Path unknown = dir.resolve("other.csv");
      Files.writeString(unknown, "deviceId,manufacturer,model,firmware,site\n");
      Run bad = inventory(env, "import", unknown.toString());
      assertEquals(2, bad.exit(), "a file that is not an inventory is a usage error");
      assertTrue(bad.err().contains("'site'"), bad.err());
      assertEquals(2, inventory(env, "import", dir.resolve("missing.csv").toString()).exit(), "no such file");
      assertEquals(1, inventory(Map.of(), "show", "--url", "http://127.0.0.1:1").exit(), "no node there");
    } finally {
      TestNodes.stop(node);
    }
  }
}
