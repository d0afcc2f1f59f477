package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose journal stops (a write fails: the next segment cannot be made, as on a full or broken disk):
 * - alerts are refused for resend before they are decided (nothing forwarded for an alert the sender was not told
 *   was taken), and the node is not ready;
 * - nothing more is published, and its stop keeps the journal instead of flushing and spilling a state that holds
 *   decisions never acknowledged;
 * - started again once the disk is fixed, it restores from the journal, the senders resend what was not
 *   acknowledged, and the DSP counts every acknowledged alert exactly once.
 * Before, every refused alert was decided all the same and its forward published, each resend decided again, and
 * the probe's DSP counted 1,027 for 752 alerts acknowledged.
 */
class JournalStoppedTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Vertx vertx = Vertx.vertx();
  private Node node;
  private DspFeed feed;
  private int counter;
  private long acknowledged;

  @AfterEach
  void stop() throws Exception {
    TestNodes.stop(node);
    if (feed != null) feed.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aStoppedJournalRefusesUndecidedHoldsTheFeedAndTheRestartIsExact() throws Exception {
    feed = new DspFeed(vertx, "127.0.0.1", upstream.broker().port(), "dsp/north/#");
    feed.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    JsonObject config = TestNodes.config(upstream.broker().url())
        .put("durability", new JsonObject().put("journal", "on").put("segmentBytes", 65536));
    config.put("policy", TestNodes.fastPolicy());
    config.getJsonObject("node").put("heartbeatInterval", "1s");
    node = TestNodes.start(config);
    Path journal = Path.of(config.getJsonObject("node").getString("dataDir")).resolve("journal");
    long active;
    try (Stream<Path> segments = Files.list(journal)) {
      active = segments.map(p -> p.getFileName().toString()).filter(n -> n.matches("journal-\\d{16}\\.log"))
          .mapToLong(n -> Long.parseLong(n.substring(8, 24))).max().orElseThrow();
    }
    // The segment after the active one cannot be made: the roll fails as a write on a full disk does.
    Path blocker = journal.resolve(String.format("journal-%016d.log", active + 1));
    Files.createDirectory(blocker);

    int status = 200;
    for (int i = 0; i < 500 && status == 200; i++) status = post(20, counter);
    assertEquals(503, status, "the journal stops once the segment fills");
    assertTrue(acknowledged >= 100, "alerts acknowledged before the journal stopped, restored after: " + acknowledged);
    assertEquals(503, ready(), "not ready: its traffic belongs elsewhere");
    int refusedFrom = counter - 20; // the batch refused: the sender sends it again after the restart

    JsonObject before = node.status().toJson();
    for (int i = 0; i < 5; i++) assertEquals(503, post(20, refusedFrom), "refused for resend, the same alerts again");
    JsonObject after = node.status().toJson();
    for (String decided : new String[] {"forwarded", "consolidated", "grouped", "duplicates", "silenced", "inhibited"}) {
      assertEquals(before.getLong(decided), after.getLong(decided), decided + ": nothing decided: " + after.encode());
    }
    assertTrue(after.getJsonObject("rejectedByReason").getLong("unavailable", 0L) >= 100, after.encode());

    Node stopped = node;
    node = null;
    TestNodes.stop(stopped);
    try (Stream<Path> segments = Files.list(journal)) {
      assertTrue(segments.anyMatch(p -> p.getFileName().toString().startsWith("journal-") && Files.isRegularFile(p)),
          "the journal is kept for the next start");
    }

    Files.delete(blocker); // the disk is fixed
    node = TestNodes.start(config);
    assertEquals(200, post(20, refusedFrom), "the refused alerts, sent again, are taken");
    Await.until(() -> feed.accounting().check(acknowledged).holds(), Duration.ofSeconds(30),
        () -> "from the feed: " + feed.accounting().check(acknowledged).equation() + " "
            + feed.accounting().check(acknowledged).rows());
    assertTrue(feed.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
  }

  /** {@code n} alerts of distinct hubs from counter {@code from} on; the intake's status (200: all acknowledged). */
  private int post(int n, int from) throws Exception {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) {
      int c = from + i + 1;
      String hub = String.format("00-1B-C5-0C-00-%02X-%02X-%02X", (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
      batch.add(new JsonObject().put("hubId", hub).put("deviceId", hub).put("alertCode", "8F36")
          .put("originatorCounter", c).put("raisedAt", Instant.now().toString()));
    }
    counter = Math.max(counter, from + n);
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/alerts"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(batch.encode())).build();
    int status = HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status == 200) acknowledged += n;
    return status;
  }

  private int ready() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/ready"))
        .timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
