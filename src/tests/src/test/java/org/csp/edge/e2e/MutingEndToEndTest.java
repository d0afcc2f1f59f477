package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Silences and inhibitions end to end (issue 19): alerts over MQTT, silences over HTTP, the feed read from a real
 * Mosquitto as the DSP reads it. Held alerts reach the DSP only in summaries with their reason, the accounting holds
 * from the feed alone, codes in forward mode are never held, and silences outlive a restart.
 */
class MutingEndToEndTest {
  private static final String PREFIX = "dsp/north/";
  private static final String HUB_A = "00-1B-C5-0C-00-00-50-01";
  private static final String HUB_B = "00-1B-C5-0C-00-00-50-02";
  private static final String HUB_C = "00-1B-C5-0C-00-00-50-03";
  private static Mosquitto broker;
  private static Vertx vertx;
  private static String adminToken;
  private static Path tokens;
  private final AtomicLong counter = new AtomicLong(1000);

  @BeforeAll
  static void start() throws Exception {
    broker = new Mosquitto().start();
    vertx = Vertx.vertx();
    adminToken = HttpTokens.newToken();
    tokens = Files.createTempFile("http-tokens", "");
    Files.write(tokens, List.of("oncall:admin:" + HttpTokens.digest(adminToken)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (broker != null) broker.close();
  }

  /** Long enough for a slow machine to send the 30 rejoins within it. */
  private static final Duration INHIBITION = Duration.ofSeconds(15);

  /** 8F01 always forwarded; 8F1C summarised every 3 s; a reboot (8F35) holds its hub's rejoins (8183) and 8F01. */
  private static JsonObject config() throws Exception {
    JsonObject config = TestNodes.config(broker.url());
    config.getJsonObject("node").put("heartbeatInterval", "1s");
    JsonObject policy = config.getJsonObject("policy");
    policy.put("codes", new JsonObject().put("8F01", new JsonObject().put("mode", "forward"))
        .put("8F1C", new JsonObject().put("summaryPeriod", "3s")));
    policy.put("inhibitions", new JsonArray().add(new JsonObject().put("name", "hub-reboot")
        .put("sourceCodes", new JsonArray().add("8F35")).put("targetCodes", new JsonArray().add("8183").add("8F01"))
        .put("scope", "hub").put("duration", INHIBITION.toSeconds() + "s")));
    config.put("silences", new JsonObject().put("syncInterval", "200ms"));
    config.put("security", new JsonObject().put("allowAnonymous", true)
        .put("http", new JsonObject().put("tokensFile", tokens.toString())));
    return config;
  }

  @Test
  void aSilenceHoldsMatchingAlertsIntoOneSummaryUntilExpiredAndOutlivesARestart() throws Exception {
    JsonObject config = config();
    Node node = TestNodes.start(config);
    long sent = 0;
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), PREFIX + "#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      JsonObject made = http(node, "POST", "/v1/silences", new JsonObject()
          .put("matchers", new JsonObject().put("hubId", HUB_A))
          .put("endsAt", Instant.now().plus(Duration.ofHours(1)).toString()).put("comment", "engineer on site"), 201);
      String id = made.getString("id");
      assertEquals("oncall", made.getString("createdBy"), "the author is the token's name");
      assertEquals("active", made.getString("status"));

      // 20 alerts of one code in one message (one period), and 3 of a code in forward mode: never silenced.
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 20; i++) batch.add(alert(HUB_A, device(i % 4), "8F1C"));
      sent += publish(config, HUB_A, batch);
      sent += publish(config, HUB_A, new JsonArray().add(alert(HUB_A, device(9), "8F01")),
          new JsonArray().add(alert(HUB_A, device(9), "8F01")), new JsonArray().add(alert(HUB_A, device(9), "8F01")));

      Await.until(() -> summaries(dsp, "silenced").size() == 1, Duration.ofSeconds(20), () -> "feed: " + dsp.all());
      JsonObject summary = summaries(dsp, "silenced").get(0);
      assertEquals(id, summary.getString("silenceId"));
      assertEquals(20, summary.getInteger("count"));
      assertEquals("8F1C", summary.getString("alertCode"));
      assertEquals(3, alerts(dsp, "8F01").size(), "forward mode passes whatever silence matches it");
      assertTrue(alerts(dsp, "8F1C").isEmpty(), "no silenced alert forwarded singly");

      Node first = node;
      Await.until(() -> held(first, id) == 20, Duration.ofSeconds(10), () -> "list: " + list(first));
      JsonObject listed = silence(node, id);
      assertEquals("engineer on site", listed.getString("comment"));
      assertFalse(listed.containsKey("matchedNothingInFirstHour"), "its first hour is not over");

      JsonObject expired = http(node, "DELETE", "/v1/silences/" + id, null, 200);
      assertEquals("expired", expired.getString("status"));
      assertEquals("oncall", expired.getString("expiredBy"));
      assertEquals(20, expired.getLong("held"));
      sent += publish(config, HUB_A, new JsonArray().add(alert(HUB_A, device(1), "8F1C")).add(alert(HUB_A, device(2), "8F1C")));
      Await.until(() -> alerts(dsp, "8F1C").size() == 2, Duration.ofSeconds(10), () -> "feed: " + dsp.all());
      long total = sent;
      Await.until(() -> dsp.accounting().check(total).holds(), Duration.ofSeconds(10),
          () -> dsp.accounting().check(total).toText());
    } finally {
      TestNodes.stop(node);
    }

    // A restart of the whole (one-member) cluster: the silences and their counts come back from dataDir.
    node = TestNodes.start(config);
    try {
      JsonArray all = list(node);
      assertEquals(1, all.size(), all.encodePrettily());
      assertEquals("expired", all.getJsonObject(0).getString("status"));
      assertEquals(20, all.getJsonObject(0).getLong("held"));
      JsonObject again = http(node, "POST", "/v1/silences", new JsonObject()
          .put("matchers", new JsonObject().put("alertCode", "8F1*"))
          .put("endsAt", Instant.now().plus(Duration.ofHours(1)).toString()), 201);
      TestNodes.stop(node);
      node = TestNodes.start(config);
      assertEquals("active", silence(node, again.getString("id")).getString("status"), "a silence in force survives");
    } finally {
      TestNodes.stop(node);
    }
  }

  /**
   * A node alone has no other member holding the silences: what it answers 201 or 200 to must be on disk before the
   * answer, or a crash before the next sync forgets it (the sync here is an hour away).
   */
  @Test
  void aSilenceChangeIsOnDiskBeforeItIsAnswered() throws Exception {
    JsonObject config = config();
    config.put("silences", new JsonObject().put("syncInterval", "1h"));
    Path file = Path.of(config.getJsonObject("node").getString("dataDir")).resolve("silences.json");
    Node node = TestNodes.start(config);
    try {
      String id = http(node, "POST", "/v1/silences", new JsonObject().put("matchers", new JsonObject().put("alertCode", "8F1C"))
          .put("endsAt", Instant.now().plus(Duration.ofHours(1)).toString()), 201).getString("id");
      assertEquals(null, onDisk(file, id).getString("expiredBy"), "created, in force, on disk");
      http(node, "DELETE", "/v1/silences/" + id, null, 200);
      assertEquals("oncall", onDisk(file, id).getString("expiredBy"), "the expiry is on disk too");
    } finally {
      TestNodes.stop(node);
    }
  }

  private static JsonObject onDisk(Path file, String id) throws Exception {
    assertTrue(Files.exists(file), "no " + file);
    JsonArray saved = new JsonObject(Files.readString(file)).getJsonArray("silences");
    return saved.stream().map(o -> (JsonObject) o).filter(s -> id.equals(s.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + saved.encode()));
  }

  @Test
  void aRebootThenThirtyRejoinsGiveOneInhibitedSummaryNotThirtyAlertsOrAStorm() throws Exception {
    JsonObject config = config();
    Node node = TestNodes.start(config);
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), PREFIX + "#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<JsonArray> messages = new java.util.ArrayList<>();
      messages.add(new JsonArray().add(alert(HUB_B, device(0), "8F35")));
      for (int i = 1; i <= 30; i++) messages.add(new JsonArray().add(alert(HUB_B, device(i), "8183")));
      long started = System.nanoTime();
      long sent = publish(config, HUB_B, messages.toArray(new JsonArray[0]));
      assertTrue(System.nanoTime() - started < INHIBITION.toNanos(), "sent within the inhibition");
      // Listed as a target, but in forward mode: passes.
      sent += publish(config, HUB_B, new JsonArray().add(alert(HUB_B, device(1), "8F01")));
      // Another hub's rejoins are not held: no reboot there.
      sent += publish(config, HUB_C, new JsonArray().add(alert(HUB_C, device(1), "8183")));

      Await.until(() -> summaries(dsp, "inhibited").size() == 1, INHIBITION.plusSeconds(20), () -> "feed: " + dsp.all());
      JsonObject summary = summaries(dsp, "inhibited").get(0);
      assertEquals(30, summary.getInteger("count"));
      assertEquals(HUB_B, summary.getString("hubId"));
      assertEquals("hub-reboot", summary.getString("inhibitionRule"));
      assertEquals("8F35", summary.getString("sourceAlertCode"));
      assertEquals(1, alerts(dsp, "8F35").size(), "the reboot itself is forwarded");
      assertEquals(1, alerts(dsp, "8183").size(), "only the other hub's rejoin: " + alerts(dsp, "8183"));
      assertEquals(HUB_C, alerts(dsp, "8183").get(0).getString("hubId"));
      assertEquals(1, alerts(dsp, "8F01").size());
      assertTrue(dsp.all().stream().noneMatch(e -> "storm-start".equals(e.getString("type"))), "no storm: " + dsp.all());
      assertEquals(30, node.status().toJson().getLong("inhibited"));
      long total = sent;
      Await.until(() -> dsp.accounting().check(total).holds(), Duration.ofSeconds(10),
          () -> dsp.accounting().check(total).toText());
    } finally {
      TestNodes.stop(node);
    }
  }

  private static String device(int i) {
    return String.format("00-1B-C5-0C-00-00-60-%02X", i);
  }

  private JsonObject alert(String hub, String device, String code) {
    return new JsonObject().put("hubId", hub).put("deviceId", device).put("deviceType", "ESME").put("alertCode", code)
        .put("originatorCounter", counter.incrementAndGet()).put("raisedAt", Instant.now().toString())
        .put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", "E1").put("firmware", "1.0"));
  }

  /**
   * Messages of alerts from one hub on one connection, QoS 1, one after another: returns once each is PUBACKed
   * (accounted for), with how many alerts they held.
   */
  private static long publish(JsonObject config, String hub, JsonArray... messages) throws Exception {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId("hub-" + System.nanoTime()));
    c.connect(config.getJsonObject("node").getInteger("mqttPort"), "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    long alerts = 0;
    try {
      for (JsonArray message : messages) {
        java.util.concurrent.CompletableFuture<Integer> acked = new java.util.concurrent.CompletableFuture<>();
        c.publishCompletionHandler(acked::complete);
        int packet = c.publish("alerts/" + hub, message.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(packet, acked.get(10, TimeUnit.SECONDS), "the node's PUBACK");
        alerts += message.size();
      }
    } finally {
      c.disconnect();
    }
    return alerts;
  }

  private static List<JsonObject> summaries(DspFeed dsp, String reason) {
    return dsp.all().stream().filter(e -> "summary".equals(e.getString("type")) && reason.equals(e.getString("reason"))).toList();
  }

  private static List<JsonObject> alerts(DspFeed dsp, String code) {
    return dsp.all().stream().filter(e -> "alert".equals(e.getString("type")) && code.equals(e.getString("alertCode"))).toList();
  }

  private static JsonArray list(Node node) {
    try {
      return http(node, "GET", "/v1/silences", null, 200).getJsonArray("silences");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject silence(Node node, String id) {
    return list(node).stream().map(o -> (JsonObject) o).filter(s -> id.equals(s.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no silence " + id + " in " + list(node)));
  }

  private static long held(Node node, String id) {
    return silence(node, id).getLong("held");
  }

  static JsonObject http(Node node, String method, String path, JsonObject body, int expected) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(10));
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
    return new JsonObject(answer.body());
  }
}
