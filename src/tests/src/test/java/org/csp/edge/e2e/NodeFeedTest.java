package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.sim.FeedAccounting;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.sim.VerifyCommand;
import org.csp.edge.support.Await;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a DSP sees of a node on a real Mosquitto, apart from the events (wire format, rev 2): heartbeats at the
 * interval with the node's totals and a final one at a clean stop, the retained online/offline status (offline by
 * the last will when the node is killed), and the accounting checked from the feed alone by {@code verify}.
 */
class NodeFeedTest {
  private static final String PREFIX = "dsp/north/";
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  private static Mosquitto broker;
  private static Vertx vertx;

  @BeforeAll
  static void startBroker() throws Exception {
    Mosquitto.require("retained messages and last wills");
    broker = new Mosquitto().start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (broker != null) broker.close();
  }

  private static JsonObject config() throws Exception {
    JsonObject config = TestNodes.config(broker.url());
    config.getJsonObject("node").put("heartbeatInterval", HEARTBEAT.toSeconds() + "s");
    return config;
  }

  @Test
  void heartbeatsCarryTheTotalsTheStatusIsRetainedAndVerifySaysHolds() throws Exception {
    JsonObject config = config();
    String nodeId = config.getJsonObject("node").getString("id");
    String session = "verify-" + nodeId;
    // verify's persistent session exists before the run, so that a later verify gets what arrived meanwhile.
    String short1 = "verify-short-" + nodeId;
    assertEquals(0, verify(session, 0).exit(), "an empty feed accounts for nothing sent");
    assertEquals(0, verify(short1, 0).exit());
    Node node = TestNodes.start(config);
    String bootId = node.status().toJson().getString("bootId");
    assertNotNull(bootId, "/v1/status shows the bootId");
    List<JsonObject> heartbeats = new CopyOnWriteArrayList<>();
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    SimReport sent;
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), PREFIX + "#")) {
      dsp.onEvent(e -> {
        if ("heartbeat".equals(e.getString("type"))) {
          heartbeats.add(e);
          arrivals.add(System.nanoTime());
        }
      });
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try {
        JsonObject online = retainedStatus(nodeId);
        assertEquals("online", online.getString("status"), online.encode());
        assertEquals(bootId, online.getString("bootId"));
        assertEquals(nodeId, online.getString("nodeId"));
        assertEquals("north", online.getString("region"));
        assertTrue(online.getString("at") != null && online.getString("eventId") == null && online.getValue("count") == null,
            "a status message is not an event: " + online.encode());

        // Duplicates and rejected, besides events: resent headers and bad input.
        sent = run(config, node, "mix");
        assertTrue(sent.duplicateAlerts() > 0 && sent.badAlerts() > 0, "the run has duplicates and bad input: " + sent);
        Await.until(() -> node.status().settled(), Duration.ofSeconds(60), () -> node.status().toJson().encode());
        JsonObject status = node.status().toJson();
        Await.until(() -> !heartbeats.isEmpty() && last(heartbeats).getLong("received") == sent.alertsSent()
                && last(heartbeats).getLong("duplicates").equals(status.getLong("duplicates")),
            Duration.ofSeconds(10), () -> "heartbeats: " + heartbeats + "; status " + status.encode());
        JsonObject beat = last(heartbeats);
        assertEquals(status.getLong("rejected"), beat.getLong("rejected"));
        assertEquals(status.getJsonObject("rejectedByReason"), beat.getJsonObject("rejectedByReason"));
        assertEquals(sent.badAlerts(), beat.getLong("rejected"));
        assertEquals(sent.duplicateAlerts(), beat.getLong("duplicates"));
        assertEquals(status.getLong("forwarded"), beat.getJsonObject("events").getLong("alert"));
        assertEquals(bootId, beat.getString("bootId"));
        assertEquals(2, beat.getInteger("schema"));
        assertEquals(0, beat.getInteger("count"));
        assertEquals(PREFIX + "node/" + nodeId + "/heartbeat", beat.getString("_topic"));
        assertTrue(dsp.accounting().check(sent.alertsSent()).holds(), dsp.accounting().check(sent.alertsSent()).toText());

        int seen = heartbeats.size();
        Await.until(() -> heartbeats.size() >= seen + 3, HEARTBEAT.multipliedBy(10), () -> "heartbeats: " + heartbeats);
        for (int i = seen; i < seen + 3; i++) {
          assertEquals(heartbeats.get(i - 1).getLong("sequence") + 1, heartbeats.get(i).getLong("sequence"));
          long gap = Duration.between(Instant.parse(heartbeats.get(i - 1).getString("emittedAt")),
              Instant.parse(heartbeats.get(i).getString("emittedAt"))).toMillis();
          assertTrue(gap >= HEARTBEAT.toMillis() / 2 && gap <= HEARTBEAT.toMillis() * 3,
              "a heartbeat every " + HEARTBEAT + ": " + gap + " ms between #" + (i - 1) + " and #" + i);
        }
      } finally {
        TestNodes.stop(node);
      }
      Await.until(() -> last(heartbeats).getBoolean("final"), Duration.ofSeconds(10), () -> "heartbeats: " + heartbeats);
      JsonObject last = last(heartbeats);
      assertEquals(sent.alertsSent(), last.getLong("received"), "the final heartbeat's totals are the boot's: " + last);
      assertTrue(dsp.accounting().check(sent.alertsSent()).holds(), dsp.accounting().check(sent.alertsSent()).toText());
    }
    JsonObject offline = retainedStatus(nodeId);
    assertEquals("offline", offline.getString("status"), "a clean stop leaves the status offline: " + offline.encode());
    assertEquals(bootId, offline.getString("bootId"));

    Verified verified = verify(session, sent.alertsSent());
    assertEquals(0, verified.exit(), verified.out());
    assertTrue(verified.out().contains("HOLDS") && verified.out().contains(bootId), verified.out());
    Verified wrong = verify(short1, sent.alertsSent() + 1);
    assertEquals(1, wrong.exit(), "one alert sent that the feed does not account for\n" + wrong.out());
    assertTrue(wrong.out().contains("DOES NOT HOLD"), wrong.out());
  }

  @Test
  void aKilledNodeIsMarkedOfflineByItsLastWill() throws Exception {
    JsonObject config = config();
    String nodeId = config.getJsonObject("node").getString("id");
    try (NodeProcess node = NodeProcess.start("will-" + nodeId.substring(nodeId.length() - 6), config, Map.of())) {
      node.awaitReady(Duration.ofSeconds(90));
      String bootId = node.status().getString("bootId");
      Await.until(() -> "online".equals(statusOrEmpty(nodeId).getString("status")), Duration.ofSeconds(10),
          () -> "status: " + statusOrEmpty(nodeId));
      assertEquals(bootId, retainedStatus(nodeId).getString("bootId"));
      node.kill();
      Await.until(() -> "offline".equals(statusOrEmpty(nodeId).getString("status")), Duration.ofSeconds(10),
          () -> "status after SIGKILL: " + statusOrEmpty(nodeId));
      JsonObject will = retainedStatus(nodeId);
      assertEquals(bootId, will.getString("bootId"), "the will names the boot that died: " + will.encode());
    }
  }

  private static SimReport run(JsonObject config, Node node, String scenario) throws Exception {
    SimOptions options = SimOptions.builder().host("127.0.0.1")
        .mqttPort(config.getJsonObject("node").getInteger("mqttPort"))
        .httpBaseUrl("http://127.0.0.1:" + node.httpPort()).scenario(scenario).scale(0.1)
        .seed(scenario.hashCode()).quiet(true).build();
    return new StormSimulator().run(vertx, options).toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
  }

  private static JsonObject last(List<JsonObject> heartbeats) {
    return heartbeats.stream().max((a, b) -> Long.compare(a.getLong("sequence"), b.getLong("sequence"))).orElseThrow();
  }

  private record Verified(int exit, String out) {}

  private static Verified verify(String session, long sent) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = VerifyCommand.run(new String[] {"--url", broker.url(), "--topic-prefix", PREFIX, "--sent",
        Long.toString(sent), "--for", "3s", "--client-id", session}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Verified(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  private static JsonObject retainedStatus(String nodeId) throws Exception {
    JsonObject status = statusOrEmpty(nodeId);
    assertTrue(!status.isEmpty(), "a retained status for " + nodeId);
    return status;
  }

  /** The retained message on the node's status topic, as a new subscriber gets it; empty when there is none. */
  private static JsonObject statusOrEmpty(String nodeId) {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId("status-" + System.nanoTime()));
    Promise<JsonObject> got = Promise.promise();
    c.publishHandler(m -> got.tryComplete(m.payload().toJsonObject()));
    try {
      c.connect(broker.port(), "127.0.0.1")
          .compose(ack -> c.subscribe(PREFIX + "node/" + nodeId + "/status", MqttQoS.AT_LEAST_ONCE.value()))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return got.future().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception none) {
      return new JsonObject();
    } finally {
      if (c.isConnected()) c.disconnect();
    }
  }
}
