package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-connection rate on MQTT: a QoS 1 client over it is paced through its PUBACKs and loses nothing; a client
 * that does not wait for its PUBACKs is dropped, and what it was not acknowledged for it sends again; QoS 0 over it
 * is refused and counted. Every alert stays in the accounting.
 */
class RateLimitTest {
  private static final int RATE = 100;
  private static final int BURST = 20;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static Node node;
  private static int mqttPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = TestNodes.config(null);
    config.put("limits", new JsonObject().put("messagesPerSecond", RATE).put("burst", BURST));
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aQos1ClientOverItsRateIsPacedThroughItsAcknowledgementsAndNothingIsRefused() throws Exception {
    Counts before = Counts.now();
    int n = 200;
    MqttClient client = connect(10);
    long start = System.nanoTime();
    publishWithinWindow(client, alerts(1, n), 10);
    double seconds = (System.nanoTime() - start) / 1e9;

    Counts after = Counts.now();
    assertEquals(n, after.received - before.received, "every alert taken");
    assertEquals(0, after.rejected - before.rejected, "none refused");
    assertTrue(after.paced - before.paced > 0, "acknowledgements were paced");
    assertEquals(0, after.droppedOverRate - before.droppedOverRate, "a client that waits for its PUBACKs is never dropped");
    assertTrue(client.isConnected());
    // The bucket starts with BURST tokens; everything after it is held to RATE (a lower bound, not a timing claim).
    double floor = (n - BURST) / (double) RATE;
    assertTrue(seconds >= floor * 0.95, n + " alerts took " + seconds + " s; the rate allows no less than " + floor + " s");
    client.disconnect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aClientThatDoesNotWaitForItsAcknowledgementsIsDroppedAndResendsWhatWasNotAcknowledged() throws Exception {
    Counts before = Counts.now();
    int n = 400;
    List<JsonObject> alerts = alerts(2, n);
    MqttClient greedy = connect(65_535);
    Map<Integer, Integer> alertByMessageId = new ConcurrentHashMap<>();
    Map<Integer, Boolean> acked = new ConcurrentHashMap<>();
    AtomicBoolean closed = new AtomicBoolean();
    greedy.closeHandler(v -> closed.set(true));
    greedy.publishCompletionHandler(id -> acked.put(alertByMessageId.get(id), true));
    for (int i = 0; i < n; i++) {
      try {
        var sent = greedy.publish(topic(alerts.get(i)), alerts.get(i).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false);
        alertByMessageId.put(sent.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS), i);
      } catch (java.util.concurrent.ExecutionException | RuntimeException connectionGone) {
        break; // dropped by the node: vertx-mqtt fails the publish, or throws when its connection is already gone
      }
    }
    Await.until(closed::get, WAIT, () -> "the node should drop a client " + n + " messages ahead of its rate");
    Counts dropped = Counts.now();
    assertEquals(1, dropped.droppedOverRate - before.droppedOverRate);
    long taken = dropped.received - before.received;
    assertTrue(taken >= acked.size(), "every acknowledged alert was taken: " + taken + " taken, " + acked.size() + " acknowledged");
    assertTrue(taken < n, "the node stopped taking from the client once it was " + BURST + " ahead: took " + taken);

    // What an MQTT client does on reconnect: send again what was not acknowledged.
    List<JsonObject> unacknowledged = new ArrayList<>();
    for (int i = 0; i < n; i++) if (!acked.containsKey(i)) unacknowledged.add(alerts.get(i));
    MqttClient polite = connect(10);
    publishWithinWindow(polite, unacknowledged, 10);

    Counts after = Counts.now();
    long received = after.received - before.received;
    assertEquals(taken + unacknowledged.size(), received);
    assertEquals(0, after.rejected - before.rejected);
    assertEquals(received - n, after.duplicates - before.duplicates,
        "each of the " + n + " alerts counted once as new; what was taken twice counted as a duplicate");
    polite.disconnect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void qos0OverTheRateIsRefusedAndCounted() throws Exception {
    Counts before = Counts.now();
    int n = 300;
    MqttClient client = connect(10);
    for (JsonObject alert : alerts(3, n)) {
      client.publish(topic(alert), alert.toBuffer(), MqttQoS.AT_MOST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    Await.until(() -> Counts.now().received - before.received == n, WAIT, () -> "all " + n + " QoS 0 messages counted");
    Counts after = Counts.now();
    long refused = after.rateLimited - before.rateLimited;
    assertTrue(refused > 0 && refused <= n - BURST, "refused as rate_limited: " + refused);
    assertEquals(refused, after.rejected - before.rejected);
    client.disconnect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /**
   * A head-end that batches: each QoS 0 message refused for its rate counts every alert it held, so that the DSP's
   * sum(count) + duplicates + rejected still equals what was sent (before, a refused batch of 10 counted 1: an outside
   * probe's 200 alerts sent came to 74 in the equation).
   */
  @Test
  void aQos0BatchRefusedForItsRateCountsEveryAlertItHeld() throws Exception {
    Counts before = Counts.now();
    int messages = 60;
    int perMessage = 10;
    List<JsonObject> all = alerts(4, messages * perMessage);
    MqttClient client = connect(10);
    for (int m = 0; m < messages; m++) {
      JsonArray batch = new JsonArray(new ArrayList<>(all.subList(m * perMessage, (m + 1) * perMessage)));
      client.publish("alerts", batch.toBuffer(), MqttQoS.AT_MOST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    Await.until(() -> Counts.now().received - before.received == (long) messages * perMessage
        && node.status().toJson().getLong("inProgress") == 0, WAIT,
        () -> "every alert of the " + messages + " QoS 0 batches counted: " + node.status().toJson().encode());
    Counts after = Counts.now();
    long refused = after.rateLimited - before.rateLimited;
    assertTrue(refused > 0, "batches refused as rate_limited");
    assertEquals(0, refused % perMessage, "each refused batch counts its " + perMessage + " alerts: " + refused);
    assertEquals(refused, after.rejected - before.rejected);
    client.disconnect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Publishes QoS 1 with at most {@code window} unacknowledged, as any real client does; returns once all are acked. */
  private static void publishWithinWindow(MqttClient client, List<JsonObject> alerts, int window) throws Exception {
    Semaphore inFlight = new Semaphore(window);
    java.util.concurrent.atomic.AtomicInteger acks = new java.util.concurrent.atomic.AtomicInteger();
    client.publishCompletionHandler(id -> {
      acks.incrementAndGet();
      inFlight.release();
    });
    for (JsonObject alert : alerts) {
      assertTrue(inFlight.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS), "PUBACKs stopped coming");
      client.publish(topic(alert), alert.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    Await.until(() -> acks.get() == alerts.size(), WAIT, () -> acks.get() + " of " + alerts.size() + " acknowledged");
  }

  private static MqttClient connect(int maxInflight) throws Exception {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId("rate-" + System.nanoTime())
        .setMaxInflightQueue(maxInflight));
    c.connect(mqttPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return c;
  }

  /** One alert per hub and device, so that a resend is the only other alert its device ever sent. */
  private static List<JsonObject> alerts(int series, int n) {
    List<JsonObject> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String hub = String.format("00-1B-C5-0C-%02X-00-%02X-%02X", series, i >> 8, i & 0xFF);
      String device = String.format("00-1B-C5-0C-%02X-01-%02X-%02X", series, i >> 8, i & 0xFF);
      out.add(new JsonObject().put("hubId", hub).put("deviceId", device).put("alertCode", "8F0F")
          .put("originatorCounter", 1).put("raisedAt", Instant.now().toString()));
    }
    return out;
  }

  private static String topic(JsonObject alert) {
    return "alerts/" + alert.getString("hubId");
  }

  private record Counts(long received, long rejected, long rateLimited, long duplicates, long paced, long droppedOverRate) {
    static Counts now() {
      JsonObject s = node.status().toJson();
      JsonObject dropped = s.getJsonObject("security").getJsonObject("mqtt").getJsonObject("dropped");
      return new Counts(s.getLong("received"), s.getLong("rejected"),
          s.getJsonObject("rejectedByReason").getLong("rate_limited", 0L), s.getLong("duplicates"), s.getLong("acksPaced"),
          dropped.getLong(Drop.OVER_RATE.wireName(), 0L));
    }
  }
}
