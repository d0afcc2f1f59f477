package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.csp.edge.Node;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose journal stops (a write fails: the next segment cannot be made, as on a full or broken disk) refuses
 * alerts for resend before deciding them: nothing is decided, forwarded or published for an alert the sender is not
 * told was taken, and the node says it is not ready. Before, every refused alert was decided all the same (its
 * forward published upstream) and every resend of it counted again, for as long as the sender kept trying.
 */
class JournalStoppedTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Node node;
  private int counter;

  @AfterEach
  void stop() throws Exception {
    TestNodes.stop(node);
  }

  @Test
  void alertsAreRefusedUndecidedOnceTheJournalStopped() throws Exception {
    JsonObject config = TestNodes.config(null)
        .put("durability", new JsonObject().put("journal", "on").put("segmentBytes", 4096));
    config.put("policy", TestNodes.fastPolicy());
    node = TestNodes.start(config);
    Path journal = Path.of(config.getJsonObject("node").getString("dataDir")).resolve("journal");
    long active;
    try (Stream<Path> segments = Files.list(journal)) {
      active = segments.map(p -> p.getFileName().toString()).filter(n -> n.matches("journal-\\d{16}\\.log"))
          .mapToLong(n -> Long.parseLong(n.substring(8, 24))).max().orElseThrow();
    }
    // The segment after the active one cannot be made: the roll fails like a write on a full disk.
    Files.createDirectory(journal.resolve(String.format("journal-%016d.log", active + 1)));

    int status = 200;
    for (int i = 0; i < 500 && status == 200; i++) status = post(20);
    assertEquals(503, status, "the journal stops once the segment fills");
    assertEquals(503, ready(), "not ready: its traffic belongs elsewhere");

    JsonObject before = node.status().toJson();
    for (int i = 0; i < 10; i++) assertEquals(503, post(20), "refused for resend");
    JsonObject after = node.status().toJson();
    for (String decided : new String[] {"forwarded", "consolidated", "grouped", "duplicates", "silenced", "inhibited"}) {
      assertEquals(before.getLong(decided), after.getLong(decided), decided + ": nothing decided: " + after.encode());
    }
    assertEquals(200, after.getLong("received") - before.getLong("received"), "every refused alert received");
    JsonObject reasons = after.getJsonObject("rejectedByReason");
    assertTrue(reasons.getLong("unavailable", 0L) >= 200, "counted as unavailable: " + reasons.encode());
  }

  /** {@code n} alerts of distinct hubs, one each; the intake's status. */
  private int post(int n) throws Exception {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) {
      int c = ++counter;
      String hub = String.format("00-1B-C5-0C-00-%02X-%02X-%02X", (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
      batch.add(new JsonObject().put("hubId", hub).put("deviceId", hub).put("alertCode", "8F36")
          .put("originatorCounter", c).put("raisedAt", Instant.now().toString()));
    }
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/alerts"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(batch.encode())).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private int ready() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/ready"))
        .timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
