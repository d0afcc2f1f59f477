package org.csp.edge.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node: an import survives a restart of the node (the whole cluster) on the same data directory; a file the node
 * cannot read as an inventory, one past the upload limit, or a caller without the admin role changes nothing, and
 * each is answered as a problem saying why.
 */
class InventoryRestartTest {
  private static final String DEVICE = "00-1B-C5-0C-00-00-51-01";
  private static InventoryCalls calls;
  private static String admin;
  private static String reader;

  @BeforeAll
  static void start() {
    calls = new InventoryCalls();
    admin = HttpTokens.newToken();
    reader = HttpTokens.newToken();
  }

  @AfterAll
  static void stop() throws Exception {
    if (calls != null) calls.close();
  }

  @Test
  void anImportOutlivesARestartAndABadOneChangesNothing(@TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("oncall:admin:" + HttpTokens.digest(admin), "viewer:client:" + HttpTokens.digest(reader)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("allowAnonymous", true).put("http", new JsonObject().put("tokensFile", tokens.toString())));
    config.put("inventory", new JsonObject().put("maxUploadMiB", 1).put("chunkBytes", 4096));
    Node node = TestNodes.start(config);
    long version;
    try {
      int port = node.httpPort();
      assertEquals(0, calls.inventory(port).getInteger("devices"), "none before an import");
      StringBuilder csv = new StringBuilder(InventoryCalls.HEADER);
      // Enough devices for several chunks of the cluster's copy.
      for (int i = 0; i < 2000; i++) csv.append(String.format("00-1B-C5-0C-00-01-%02X-%02X", i >> 8, i & 0xFF)).append(",Acme,E470,1.0\n");
      csv.append(DEVICE).append(",Bravo,GPF-2,3.0\n");
      InventoryCalls.Answer imported = calls.importCsv(port, admin, csv.toString());
      assertEquals(200, imported.status(), imported.body());
      version = imported.json().getLong("version");
      assertEquals(2001, imported.json().getInteger("devices"));

      InventoryCalls.Answer forbidden = calls.importCsv(port, reader, InventoryCalls.HEADER + DEVICE + ",X,Y,Z\n");
      assertEquals(403, forbidden.status(), "an import needs the admin role");
      InventoryCalls.Answer unknownColumn = calls.importCsv(port, admin, "deviceId,manufacturer,model,firmware,site\n");
      assertEquals(400, unknownColumn.status());
      assertTrue(unknownColumn.contentType().startsWith("application/problem+json"), unknownColumn.contentType());
      assertTrue(unknownColumn.json().getString("detail").contains("'site'"), unknownColumn.body());
      InventoryCalls.Answer nothingGood = calls.importCsv(port, admin, InventoryCalls.HEADER + "not-an-id,A,B,C\n");
      assertEquals(400, nothingGood.status());
      assertEquals("line 2", nothingGood.json().getJsonArray("errors").getJsonObject(0).getString("field"), nothingGood.body());
      InventoryCalls.Answer tooLarge = calls.call(port, HttpMethod.POST, "/v1/inventory", admin, "text/csv",
          Buffer.buffer(InventoryCalls.HEADER + (DEVICE + ",Acme,E470,1.0\n").repeat(40_000)));
      assertEquals(413, tooLarge.status(), tooLarge.body());
      InventoryCalls.Answer tooLargeChunked = calls.importChunked(port, admin,
          InventoryCalls.HEADER + (DEVICE + ",Acme,E470,1.0\n").repeat(40_000), 50);
      assertEquals(413, tooLargeChunked.status(), "refused while it arrives: " + tooLargeChunked.body());
      InventoryCalls.Answer chunked = calls.importChunked(port, admin, csv.toString(), 7);
      assertEquals(200, chunked.status(), chunked.body());
      version = chunked.json().getLong("version");
      InventoryCalls.Answer json = calls.call(port, HttpMethod.POST, "/v1/inventory", admin, "application/json", Buffer.buffer("{}"));
      assertEquals(415, json.status());
      assertEquals(version, calls.inventory(port).getLong("version"), "refused imports changed nothing");
      assertEquals(2001, calls.inventory(port).getInteger("devices"));
      try (var uploads = Files.list(node.config().dataDir().resolve("inventory"))) {
        assertEquals(List.of("inventory.bin"), uploads.map(p -> p.getFileName().toString()).toList(), "no upload left behind");
      }
    } finally {
      TestNodes.stop(node);
    }

    Node again = TestNodes.start(config);
    try {
      JsonObject held = calls.inventory(again.httpPort());
      assertEquals(version, held.getLong("version"), held.encode());
      assertEquals(2001, held.getInteger("devices"));
      assertEquals("oncall", held.getString("importedBy"));
      JsonArray batch = new JsonArray().add(InventoryCalls.alert("00-1B-C5-0C-00-00-50-01", DEVICE, "8F3E", 1));
      assertEquals(200, calls.alerts(again.httpPort(), batch).status());
      assertEquals(1, again.status().toJson().getJsonObject("inventory").getLong("dmcFilled"));
      String metrics = calls.call(again.httpPort(), HttpMethod.GET, "/metrics", admin, null, null).body();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("csp_inventory_dmc_filled_total{") && l.endsWith(" 1.0")), metrics);
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("csp_inventory_devices{") && l.endsWith(" 2001.0")), metrics);
    } finally {
      TestNodes.stop(again);
    }
  }
}
