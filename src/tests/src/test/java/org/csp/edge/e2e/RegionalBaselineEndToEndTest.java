package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.Node;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regional detection on a running node with the production policy (the learned baseline, its 10 s window, its floor
 * of 200, its minute of warm-up), on a node clock the test moves: a background of 400 alerts per window from 400
 * hubs (twice the floor, which the fixed threshold groups) is forwarded; a burst of 2,000 more on top is grouped;
 * every alert is accounted for at a real upstream broker. The clock scales time, not rates: 40 alerts/s of region is
 * what this shared machine sends in a moment; RegionalBaselineTest holds the detector to 20,000/s on a simulated clock.
 */
class RegionalBaselineEndToEndTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final String CODE = "8F12";
  private static final int BACKGROUND_HUBS = 400;
  private static final int BURST_HUBS = 2_000;
  private static final long WINDOW_MILLIS = 10_000;
  /** Each window's alerts go in this many requests, the clock moving between them. */
  private static final int SLICES = 4;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final OneContextHttpClient http = new OneContextHttpClient(upstream.vertx());
  private Node node;
  private DspFeed dsp;
  private long counter;
  private long sent;

  @AfterEach
  void stop() throws Exception {
    if (dsp != null) dsp.close();
    TestNodes.stop(node);
    http.close();
  }

  @Test
  void theBackgroundIsForwardedAndABurstOnTopIsGrouped() throws Exception {
    start(new JsonObject()); // the production policy
    for (int w = 0; w < 7; w++) window(0); // the warm-up (1 min) and a window past it
    for (int w = 0; w < 6; w++) window(0);
    awaitAccounted();
    assertEquals(0, dsp.eventsOfType("group"), "the background at twice the floor is not a burst");
    assertEquals(0, regionalStarts(), "no regional storm-start");
    assertEquals(sent, dsp.eventsOfType("alert"), "every background alert forwarded singly");

    long before = sent;
    window(BURST_HUBS);
    window(0);
    clock.addAndGet(3 * WINDOW_MILLIS); // the groups' wait and the burst's quiet windows pass
    awaitAccounted();
    long grouped = dsp.all().stream().filter(e -> "group".equals(e.getString("type"))).mapToLong(e -> e.getInteger("count")).sum();
    assertEquals(1, regionalStarts(), "one regional storm-start for the burst");
    assertTrue(grouped >= (BURST_HUBS + BACKGROUND_HUBS) / 2 && grouped <= sent - before,
        "most of the burst's window is grouped: " + grouped + " of " + (sent - before));
  }

  @Test
  void aNodeRestartedDuringABurstGroupsItFromItsFirstWindow() throws Exception {
    JsonObject config = TestNodes.config(upstream.broker().url()).put("policy", new JsonObject()); // production's
    startNode(config);
    assertEquals("warm-up", node.status().toJson().getJsonObject("regionalBackgrounds").getString("source"),
        "a first start has nothing to start from: it learns");
    for (int w = 0; w < 8; w++) window(0); // past the warm-up: the background learned
    awaitAccounted();
    TestNodes.stop(node); // a clean stop, as for an upgrade; the region's burst is about to start
    node = Node.start(ConfigLoader.fromJson(config, Map.of()), clock::get)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    JsonObject seeded = node.status().toJson().getJsonObject("regionalBackgrounds");
    assertEquals("file", seeded.getString("source"), "the status says where the backgrounds came from: " + seeded);
    assertEquals(1, seeded.getInteger("codes"), "the one code learned: " + seeded);

    long before = sent;
    window(BURST_HUBS); // within the minute a new node would only have learned (and learned the burst)
    window(BURST_HUBS);
    window(0);
    clock.addAndGet(3 * WINDOW_MILLIS);
    awaitAccounted();
    long grouped = dsp.all().stream().filter(e -> "group".equals(e.getString("type"))).mapToLong(e -> e.getInteger("count")).sum();
    assertTrue(grouped >= BURST_HUBS + BACKGROUND_HUBS && grouped <= sent - before,
        "the restarted node started from its learned background and grouped the burst: " + grouped + " of "
            + (sent - before));
  }

  @Test
  void theFixedThresholdGroupsTheSameBackground() throws Exception {
    start(new JsonObject().put("defaults", new JsonObject().put("regionalDetection", "threshold")));
    for (int w = 0; w < 2; w++) window(0);
    clock.addAndGet(WINDOW_MILLIS);
    awaitAccounted();
    assertTrue(dsp.eventsOfType("group") > 0, "the control: 400 per window is over the fixed 200");
  }

  private void start(JsonObject policy) throws Exception {
    startNode(TestNodes.config(upstream.broker().url()).put("policy", policy));
  }

  /** A node of {@code config} (its data directory included) and the DSP's feed. */
  private void startNode(JsonObject config) throws Exception {
    node = Node.start(ConfigLoader.fromJson(config, Map.of()), clock::get)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#");
    dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One window of the node's clock: every background hub once, and {@code burst} more hubs once each, spread. */
  private void window(int burst) throws Exception {
    for (int slice = 0; slice < SLICES; slice++) {
      JsonArray batch = new JsonArray();
      for (int h = slice; h < BACKGROUND_HUBS; h += SLICES) batch.add(alert(h));
      for (int h = slice; h < burst; h += SLICES) batch.add(alert(10_000 + h));
      post(batch);
      clock.addAndGet(WINDOW_MILLIS / SLICES);
    }
  }

  private JsonObject alert(int hub) {
    String id = String.format("00-1B-C5-0C-00-00-%02X-%02X", hub / 256, hub % 256);
    sent++;
    return new JsonObject().put("hubId", id).put("deviceId", id.substring(0, 21) + "FF")
        .put("alertCode", CODE).put("originatorCounter", ++counter).put("raisedAt", Instant.ofEpochMilli(clock.get()).toString());
  }

  private void post(JsonArray batch) throws Exception {
    JsonObject answer;
    try {
      answer = http.call(c -> c.request(HttpMethod.POST, node.httpPort(), "127.0.0.1", "/v1/alerts")
          .compose(r -> r.send(batch.toBuffer())).compose(r -> r.body()).map(b -> b.toJsonObject())
          ).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // Say whether the node took the body at all (received) and what it held: the node or the client.
      throw new AssertionError("no answer within 30 s to a POST of " + batch.size() + " alerts (" + sent
          + " sent before and with it); the node: " + node.status().toJson().encode(), e);
    }
    assertEquals(batch.size(), answer.getInteger("accepted"), answer::encode);
  }

  private void awaitAccounted() throws Exception {
    Await.until(() -> dsp.countedAlerts() == sent, WAIT, () -> "counted upstream " + dsp.countedAlerts() + " of " + sent);
  }

  private long regionalStarts() {
    return dsp.all().stream().filter(e -> "storm-start".equals(e.getString("type")) && "region".equals(e.getString("scope"))).count();
  }
}
