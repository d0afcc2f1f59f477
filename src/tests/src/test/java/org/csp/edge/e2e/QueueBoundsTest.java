package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.csp.edge.support.MetricsScrape;
import org.csp.edge.support.Await;
import org.csp.edge.support.DspBroker;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.RawMqtt;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every queue a client can fill is bounded, and at the bound the client is answered (no acknowledgement, 503, a
 * refusal with a reason) and the node counts it: nothing is lost in silence, nothing grows without limit. Each case
 * runs the node in a JVM of its own (NodeProcess), its DSP broker stopped so that the outbox fills, as in an outage.
 */
class QueueBoundsTest {
  private static final String CODE = "8F0A";

  private Vertx vertx;
  private DspBroker broker;
  private NodeProcess node;
  /** Held in a field: Vert.x closes an HttpClient (and its connections) once it is no longer referenced. */
  private final List<io.vertx.core.http.HttpClient> posters = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    broker = DspBroker.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) node.close();
    if (broker != null) broker.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * QoS 0 has no acknowledgement to hold back: before this bound, a QoS 0 flood during an outage grew the outbox
   * past its capacity without limit. Now each QoS 0 message that comes while back-pressure is engaged is refused
   * whole, unread, as outbox_full; every message is still counted once.
   */
  @Test
  void aQos0FloodDuringAnOutageIsRefusedAtTheOutboxCapacity() throws Exception {
    node = outage(new JsonObject().put("capacity", 50).put("resumeAt", 10), new JsonObject());
    int total = 400;
    MqttClient client = connect("qos0-flood", 10);
    for (int i = 0; i < total; i++) {
      client.publish("alerts/" + hub(i), alert(i, null).toBuffer(), MqttQoS.AT_MOST_ONCE, false, false);
      if (i % 10 == 9) Thread.sleep(10); // paced, so that decisions mostly keep up with the messages
    }
    Await.until(() -> node.status().getLong("received") == total && node.status().getLong("inProgress") == 0,
        Duration.ofSeconds(30), () -> node.status().encode());
    JsonObject status = node.status();
    long refused = status.getJsonObject("rejectedByReason").getLong("outbox_full", 0L);
    assertTrue(status.getBoolean("backPressure"), status.encode());
    // Past the capacity of 50 by what was being decided when it filled (a loaded machine decides late), not by 400.
    assertTrue(status.getInteger("outboxDepth") <= 150, "the outbox stays near its capacity: " + status.getInteger("outboxDepth"));
    assertTrue(refused >= total - 150, "the rest refused as outbox_full: " + status.getJsonObject("rejectedByReason"));
    assertEquals(total, status.getLong("forwarded") + status.getLong("rejected"), "every message counted once: " + status);
    assertEquals(refused, metric("csp_alerts_rejected_total", "reason=\"outbox_full\""));
    client.disconnect();
  }

  /**
   * QoS 0 clients that send faster than the node decides, with the DSP's broker up: nothing fills the outbox, so
   * before this bound the alerts waiting for their decision grew without limit (an outside probe: 345,000 of them
   * and an OutOfMemoryError at 512 MiB from two clients). Past limits.maxUndecidedAlerts a QoS 0 message is refused
   * whole, unread, as overloaded; every alert taken is decided and every message counted.
   */
  @Test
  void qos0BatchesFasterThanTheNodeDecidesAreRefusedPastTheUndecidedBound() throws Exception {
    broker.start();
    JsonObject config = TestNodes.config(broker.url());
    config.put("limits", new JsonObject().put("maxUndecidedAlerts", 150));
    config.getJsonObject("policy").put("codes", new JsonObject().put(CODE, new JsonObject().put("mode", "forward")));
    node = NodeProcess.start("queue-bounds", config, Map.of()).awaitReady(Duration.ofSeconds(60));
    int messages = 400;
    int perMessage = 50;
    MqttClient client = connect("qos0-batches", 10);
    for (int m = 0; m < messages; m++) {
      io.vertx.core.json.JsonArray batch = new io.vertx.core.json.JsonArray();
      for (int i = 0; i < perMessage; i++) batch.add(alert(m * perMessage + i, null));
      client.publish("alerts", batch.toBuffer(), MqttQoS.AT_MOST_ONCE, false, false);
    }
    Await.until(() -> node.status().getLong("inProgress") == 0 && node.status().getLong("received")
            - node.status().getLong("forwarded") == node.status().getLong("rejected")
            && node.status().getLong("forwarded") + node.status().getJsonObject("rejectedByReason")
                .getLong("overloaded", 0L) == (long) messages * perMessage,
        Duration.ofSeconds(60), () -> node.status().encode());
    JsonObject status = node.status();
    long overloaded = status.getJsonObject("rejectedByReason").getLong("overloaded", 0L);
    assertTrue(overloaded > 0, "messages were refused past the bound: " + status.encode());
    assertEquals(0, overloaded % perMessage, "each refused message counts every alert it held: " + overloaded);
    assertEquals((long) messages * perMessage, status.getLong("received"), "what the clients sent, alert by alert");
    assertEquals(status.getLong("rejected"), overloaded, "refused for that alone: " + status.encode());
    assertTrue(status.getLong("forwarded") > 0, "the others were taken and forwarded");
    assertEquals(overloaded, metric("csp_alerts_rejected_total", "reason=\"overloaded\""));
    client.disconnect();
  }

  /**
   * Back-pressure in bytes: large events engage it long before the outbox's capacity in events. The body that fills
   * the outbox is taken and answered at once (an HTTP client cannot be held back while it waits); the next body is
   * answered 503 unread.
   */
  @Test
  void theOutboxPushesBackOnItsBytesBeforeItsEvents() throws Exception {
    int capacityBytes = 1 << 20; // the least allowed
    node = outage(new JsonObject().put("capacity", 10_000).put("capacityBytes", capacityBytes), new JsonObject());
    String payload = "A".repeat(16_384); // the largest allowed (limits.maxPayloadBase64): about 16 KiB per event
    int sent = 0;
    int status = 200;
    while (status == 200 && sent < 200) {
      // The body that fills the outbox is answered at once (HTTP is not held back); the next is refused unread.
      status = post(alert(sent, payload)).get(30, TimeUnit.SECONDS);
      if (status == 200) sent++;
    }
    assertEquals(503, status, "a body was refused once the outbox was full");
    assertTrue(sent >= 60 && sent <= 70, "about 1 MiB of 16 KiB events taken first: " + sent);
    JsonObject s = node.status();
    assertTrue(s.getBoolean("backPressure"), s.encode());
    assertTrue(s.getLong("outboxBytes") >= capacityBytes, s.encode());
    assertTrue(s.getInteger("outboxDepth") < 100, "far below the capacity in events: " + s.getInteger("outboxDepth"));
    assertEquals(0, s.getLong("acksHeld"), "no HTTP answer is held");
    assertEquals(503, post(alert(sent, payload)).get(20, TimeUnit.SECONDS), "the next body is answered 503 too");
    assertEquals(s.getLong("outboxBytes"), (long) metric("csp_outbox_bytes"));
    assertEquals(capacityBytes, (long) metric("csp_outbox_capacity_bytes"));
    assertEquals(2, metric("csp_http_backpressure_refused_total"), "the 503s are counted");
    assertEquals(sent, node.status().getLong("received"), "a body answered 503 was not taken, so not counted as received");
  }

  /**
   * A client that keeps publishing QoS 1 while its acknowledgements are held (the outbox is full) fills its
   * connection's queue of messages waiting for their acknowledgement: at limits.maxPendingAcksPerConnection the
   * node takes no more and closes the connection (the client resends what was not acknowledged when it
   * reconnects), and counts it.
   */
  @Test
  void aConnectionTooFarAheadOfItsHeldAcknowledgementsIsClosed() throws Exception {
    int maxPending = 20;
    node = outage(new JsonObject().put("capacity", 10).put("resumeAt", 5),
        new JsonObject().put("maxPendingAcksPerConnection", maxPending));
    int total = 100;
    MqttClient client = connect("qos1-runner", total);
    AtomicInteger acked = new AtomicInteger();
    AtomicBoolean closed = new AtomicBoolean();
    client.publishCompletionHandler(id -> acked.incrementAndGet());
    client.closeHandler(v -> closed.set(true));
    for (int i = 0; i < total; i++) {
      try {
        client.publish("alerts/" + hub(i), alert(i, null).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false);
      } catch (NullPointerException e) {
        // The node closed the connection while this loop still published (what the test provokes): vertx-mqtt's
        // client then has no connection to write to. What is left unsent is what a client resends after a close.
        if (client.isConnected()) throw e;
        break;
      }
    }
    Await.until(closed::get, Duration.ofSeconds(20), () -> "acked " + acked.get() + "; " + node.status().encode());
    Await.until(() -> node.status().getLong("inProgress") == 0 && node.status().getLong("acksPending") == 0,
        Duration.ofSeconds(20), () -> node.status().encode());
    JsonObject status = node.status();
    long received = status.getLong("received");
    assertTrue(received <= 10 + maxPending + 1, "no more taken than the acknowledged and the bound: " + status.encode());
    assertTrue(acked.get() < total, "the rest was not acknowledged, so the client keeps it to resend: " + acked.get());
    assertEquals(received, status.getLong("forwarded") + status.getLong("rejected"), "what was taken is counted");
    assertEquals(1, metric("csp_mqtt_acks_overflowed_total"), "the closed connection is counted");
    assertEquals(0, metric("csp_mqtt_acks_pending"));
  }

  /**
   * MQTT 3.1.1, 4.3.3: a QoS 2 message sent again before its PUBREL is answered PUBREC again. Behind a PUBREC held by
   * back-pressure each resend used to queue one more answer: one connection resending as fast as it could grew the
   * queue by millions and took the node to OutOfMemoryError. The PUBREC already owed now answers every resend.
   */
  @Test
  void qos2ResendsBehindAHeldPubrecAddNothingToTheConnectionsQueue() throws Exception {
    int maxPending = 20;
    node = outage(new JsonObject().put("capacity", 10).put("resumeAt", 5),
        new JsonObject().put("maxPendingAcksPerConnection", maxPending));
    MqttClient filler = connect("filler", 20);
    for (int i = 0; i < 12; i++) filler.publish("alerts/" + hub(i), alert(i, null).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false);
    Await.until(() -> node.status().getBoolean("backPressure"), Duration.ofSeconds(20), () -> node.status().encode());

    int resends = 5000;
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.mqttPort())) {
      java.io.OutputStream out = s.getOutputStream();
      out.write(RawMqtt.packet(0x10, RawMqtt.string("MQTT"), new byte[] {4, 2, 0, 0}, RawMqtt.string("resend")));
      String topic = "alerts/" + hub(100);
      byte[] first = RawMqtt.publish(0x34, topic, 1, alert(100, null).toBuffer().getBytes());
      byte[] again = RawMqtt.publish(0x3C, topic, 1, new byte[0]); // DUP, QoS 2, the same packet id
      java.io.ByteArrayOutputStream flood = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < resends; i++) flood.write(again);
      out.write(first);
      out.write(flood.toByteArray());
      out.flush();
      Await.until(() -> node.status().getLong("received") >= 13, Duration.ofSeconds(20), () -> node.status().encode());
      Thread.sleep(1000); // the resends are read meanwhile
      long pending = node.status().getLong("acksPending");
      assertTrue(pending <= 12 + 1 + 1, "the resends wait on the one PUBREC owed, not one answer each: " + pending
          + " acknowledgements pending after " + resends + " resends");
      assertEquals(13, node.status().getLong("received"), "the message is taken once: " + node.status().encode());
    }
  }

  /** A node whose DSP broker has gone away (started, then stopped), with the code in forward mode: one event per alert. */
  private NodeProcess outage(JsonObject outbox, JsonObject limits) throws Exception {
    broker.start();
    JsonObject config = TestNodes.config(broker.url());
    config.getJsonObject("outbox").mergeIn(outbox);
    config.put("limits", limits);
    config.getJsonObject("policy").put("codes", new JsonObject().put(CODE, new JsonObject().put("mode", "forward")));
    NodeProcess started = NodeProcess.start("queue-bounds", config, Map.of()).awaitReady(Duration.ofSeconds(60));
    broker.stop();
    Await.until(() -> !started.status().getBoolean("upstreamConnected"), Duration.ofSeconds(20), () -> "still connected");
    return started;
  }

  private MqttClient connect(String clientId, int inflight) throws Exception {
    MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setClientId(clientId).setMaxInflightQueue(inflight));
    client.connect(node.mqttPort(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return client;
  }

  private static String hub(int i) {
    return String.format("00-1B-C5-0C-00-03-%02X-%02X", i / 256, i % 256);
  }

  private static JsonObject alert(int i, String payload) {
    String hub = hub(i);
    JsonObject alert = new JsonObject().put("hubId", hub).put("deviceId", hub.replace("-0C-", "-0D-"))
        .put("deviceType", "ESME").put("alertCode", CODE).put("originatorCounter", i)
        .put("raisedAt", Instant.now().toString());
    return payload == null ? alert : alert.put("payload", payload);
  }

  /** Each on a connection of its own: an answer held by back-pressure does not hold the next request. */
  private CompletableFuture<Integer> post(JsonObject alert) {
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    posters.add(client);
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(node.httpPort()).setHost("127.0.0.1")
            .setURI("/v1/alerts").putHeader("Content-Type", "application/json"))
        .compose(r -> r.send(alert.toBuffer())).compose(r -> r.body().map(b -> r.statusCode()))
        .toCompletionStage().toCompletableFuture();
  }

  private double metric(String name, String label) throws Exception {
    return MetricsScrape.sum(node.httpPort(), name, label);
  }

  private double metric(String name) throws Exception {
    return metric(name, null);
  }
}
