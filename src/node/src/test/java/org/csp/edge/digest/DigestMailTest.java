package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The digest e-mail is what a DNO reads: text a device sent (its model's fields) must not add lines to it (a forged
 * "8014 forwarded: 0", a header-like "Bcc:"), and two models must never read alike.
 */
class DigestMailTest {

  private static JsonObject digest(JsonObject... models) {
    JsonArray top = new JsonArray();
    for (JsonObject m : models) top.add(new JsonObject().put("dmc", m).put("count", 7));
    return new JsonObject().put("periodStart", "2026-12-07T00:00:00Z").put("periodEnd", "2026-12-08T00:00:00Z")
        .put("alerts", 14).put("stormsStarted", 0).put("stormsEnded", 0)
        .put("byCode", new JsonObject().put("8014", new JsonObject().put("forwarded", 14)))
        .put("topHubs", new JsonArray()).put("topDeviceModels", top);
  }

  private static JsonObject model(String manufacturer, String model, String firmware) {
    return new JsonObject().put("manufacturer", manufacturer).put("model", model).put("firmware", firmware);
  }

  @Test
  void aModelsTextAddsNoLineToTheMail() {
    String forged = "X\r\n  8014  forwarded: 0\r\nBcc: someone@example.com\u2028\u0085";
    String plain = DigestMail.text("dno", "e1", digest(model("Acme", "GPF-1", "1.0")));
    String text = DigestMail.text("dno", "e1", digest(model("Acme", forged, "1.0")));
    assertEquals(plain.split("\n", -1).length, text.split("\n", -1).length, text);
    assertTrue(text.lines().noneMatch(l -> l.startsWith("Bcc:") || l.equals("  8014  forwarded: 0")), text);
    assertTrue(text.contains("Acme / \"X\\u000d\\u000a  8014  forwarded: 0\\u000d\\u000aBcc: someone@example.com\\u2028\\u0085\" / 1.0: 7"), text);
  }

  @Test
  void twoModelsNeverReadAlike() {
    List<String> lines = DigestMail.text("dno", "e1", digest(model("Acme Co", "X", "1"), model("Acme", "Co X", "1"))).lines()
        .filter(l -> l.endsWith(": 7")).toList();
    assertEquals(List.of("  \"Acme Co\" / X / 1: 7", "  Acme / \"Co X\" / 1: 7"), lines);
    assertNotEquals(lines.get(0), lines.get(1));
    assertTrue(DigestMail.text("dno", "e1", digest(model("Acme", "GPF-1", "1.0"))).contains("  Acme / GPF-1 / 1.0: 7"));
  }
}
