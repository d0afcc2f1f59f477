package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node alone restarted gracefully (an upgrade, a drain) keeps deciding as it did: a hub storming before the stop
 * stays in storm after it (its alerts are not forwarded one by one again, no second storm-start), and a header counter
 * taken before the stop and resent after it is a duplicate. What the stop sent (the open periods, the outbox) is not
 * sent again, and the DSP's equation holds across both runs.
 */
class GracefulRestartMemoryTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final String STORMING_HUB = "00-1B-C5-0C-00-00-C1-01";
  private static final String QUIET_HUB = "00-1B-C5-0C-00-00-C1-02";
  private static final String CODE = "8F3E";
  private static final int STORM_ALERTS = 10;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aStormAndTheHeadersSeenOutliveAGracefulRestart() throws Exception {
    JsonObject config = TestNodes.config(upstream.broker().url());
    config.getJsonObject("node").put("heartbeatInterval", "1s"); // the DSP's equation takes each run's last heartbeat
    JsonObject policy = TestNodes.fastPolicy();
    // The storm outlives the restart: it would end only after an hour without alerts.
    policy.put("codes", new JsonObject().put(CODE, new JsonObject().put("quietPeriod", "1h")));
    config.put("policy", policy);
    long sent = 0;
    Node node = TestNodes.start(config);
    try (DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (int i = 1; i <= STORM_ALERTS; i++) sent += post(node, alert(STORMING_HUB, CODE, i));
      sent += post(node, alert(QUIET_HUB, "8F50", 77));
      awaitQuiet(node, sent);
      long forwardedBefore = alertsOf(dsp, STORMING_HUB);
      assertTrue(forwardedBefore < STORM_ALERTS, "the hub stormed before the stop: " + dsp.all());
      assertEquals(1, stormStarts(dsp), "one storm-start before the stop");

      TestNodes.stop(node);
      node = TestNodes.start(config);
      for (int i = STORM_ALERTS + 1; i <= 2 * STORM_ALERTS; i++) sent += post(node, alert(STORMING_HUB, CODE, i));
      sent += post(node, alert(QUIET_HUB, "8F50", 77)); // the same header again
      awaitQuiet(node, sent - STORM_ALERTS - 1);
      JsonObject status = node.status().toJson();
      assertEquals(1, status.getLong("duplicates"), "the header taken before the stop is a duplicate: " + status.encode());
      assertEquals(0, status.getLong("forwarded"), "nothing forwarded singly after the restart: " + status.encode());

      long total = sent;
      Await.until(() -> dsp.accounting().check(total).holds(), Duration.ofSeconds(30),
          () -> dsp.accounting().check(total).toText());
      assertEquals(forwardedBefore, alertsOf(dsp, STORMING_HUB), "the storm was not released again: " + dsp.all());
      assertEquals(1, stormStarts(dsp), "still the one storm: " + dsp.all());
      assertEquals(0, dsp.repeats(), "nothing the first run delivered is sent again");
    } finally {
      TestNodes.stop(node);
    }
  }

  /** Every alert decided, nothing held for a period, nothing waiting for the broker; the storm itself stays open. */
  private static void awaitQuiet(Node node, long received) throws InterruptedException {
    Await.until(() -> {
      JsonObject s = node.status().toJson();
      return s.getLong("received") == received && s.getLong("inProgress") == 0 && s.getLong("hubsHolding") == 0
          && s.getLong("hubsWithEventsWaiting") == 0;
    }, Duration.ofSeconds(30), () -> node.status().toJson().encode());
  }

  private static JsonObject alert(String hub, String code, long counter) {
    return new JsonObject().put("hubId", hub).put("deviceId", hub.replace("-0C-", "-0D-")).put("alertCode", code)
        .put("originatorCounter", counter).put("raisedAt", java.time.Instant.now().toString());
  }

  /** One alert a request, as a head-end sends them; returns 1 once the node answered for it. */
  private long post(Node node, JsonObject alert) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/alerts"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alert.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return 1;
  }

  private static long alertsOf(DspFeed dsp, String hub) {
    return dsp.all().stream().filter(e -> "alert".equals(e.getString("type")) && hub.equals(e.getString("hubId"))).count();
  }

  private static long stormStarts(DspFeed dsp) {
    return dsp.all().stream().filter(e -> "storm-start".equals(e.getString("type"))
        && STORMING_HUB.equals(e.getString("hubId"))).count();
  }
}
