package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.csp.edge.support.RawMqtt.concat;
import static org.csp.edge.support.RawMqtt.packet;
import static org.csp.edge.support.RawMqtt.string;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT intake against a node on embedded defaults (its own upstream broker): a PUBACK means accounted for, bad
 * input is refused and counted without disturbing the connection, and the default run publishes upstream.
 */
class MqttIntakeTest {
  private static final String HUB = "00-1B-C5-0C-00-00-10-01";
  private static Vertx vertx;
  private static Node node;
  private static MqttClient hub;
  private static DspFeed dsp;
  private static int mqttPort;
  private static final Set<Integer> acked = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = TestNodes.config(null);
    node = TestNodes.start(config);
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    dsp = new DspFeed(vertx, "127.0.0.1", node.upstreamPort(), "dsp/north/#");
    dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    hub = MqttClient.create(vertx, new MqttClientOptions().setClientId("hub-" + System.nanoTime())
        .setMaxMessageSize(4 * 1024 * 1024));
    hub.publishCompletionHandler(acked::add);
    hub.connect(config.getJsonObject("node").getInteger("mqttPort"), "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dsp != null) dsp.close();
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject alert(String code, long counter) {
    return new JsonObject().put("hubId", HUB).put("deviceId", "00-1B-C5-0C-00-00-10-02").put("deviceType", "ESME")
        .put("alertCode", code).put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }

  private static int publish(String topic, Buffer payload) throws Exception {
    return hub.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false, false)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long stat(String name) {
    return node.status().toJson().getLong(name);
  }

  @Test
  void aPubackMeansTheAlertIsAccountedForAndTheDefaultRunPublishesIt() throws Exception {
    long before = stat("forwarded");
    int id = publish("alerts/" + HUB.toLowerCase(), alert("8F0F", 1001).toBuffer());
    Await.until(() -> acked.contains(id), Duration.ofSeconds(10), () -> "no PUBACK");
    assertEquals(before + 1, stat("forwarded"), "by the time of the PUBACK the alert is accounted for");
    Await.until(() -> dsp.all().stream().anyMatch(e -> "alert".equals(e.getString("type"))
        && Long.valueOf(1001).equals(e.getLong("originatorCounter"))), Duration.ofSeconds(10), () -> "not upstream");
    JsonObject event = dsp.all().stream().filter(e -> Long.valueOf(1001).equals(e.getLong("originatorCounter")))
        .findFirst().orElseThrow();
    assertEquals("dsp/north/alert/8F0F", event.getString("_topic"));
    assertEquals(1, event.getInteger("count"));
    assertEquals(0, event.getInteger("consolidatedSinceLast"));
    assertEquals("north", event.getString("region"));
    assertEquals(HUB, event.getString("hubId"));
    assertTrue(event.getString("eventId").length() > 0 && event.getString("emittedAt").endsWith("Z"));
  }

  @Test
  void badInputIsRefusedAndCountedAndTheConnectionCarriesOn() throws Exception {
    long rejected = stat("rejected");
    int badTopic = publish("somewhere/else", alert("8F0F", 2001).toBuffer());
    int mismatch = publish("alerts/00-1B-C5-0C-00-00-10-99", alert("8F0F", 2002).toBuffer());
    int broken = publish("alerts/" + HUB, Buffer.buffer("{\"hubId\": oops"));
    // Over the 1 MiB limit: refused whole, counted once, acknowledged so the sender does not resend it forever.
    JsonArray big = new JsonArray();
    for (int i = 0; big.encode().length() < 1_200_000; i++) big.add(alert("8F0F", 10_000 + i).put("payload", "A".repeat(4000)));
    int oversized = publish("alerts/" + HUB, big.toBuffer());
    // A code of its own: the other tests' alerts on this hub must not put it in storm on these two.
    JsonArray mixed = new JsonArray().add(alert("8F2B", 2003)).add(alert("XYZ", 2004)).add(alert("8F2B", 2005));
    int batch = publish("alerts/" + HUB, mixed.toBuffer());
    Await.until(() -> acked.containsAll(Set.of(badTopic, mismatch, broken, oversized, batch)), Duration.ofSeconds(10),
        () -> "acked " + acked);
    assertEquals(rejected + 5, stat("rejected"));
    JsonObject byReason = node.status().toJson().getJsonObject("rejectedByReason");
    for (String reason : new String[] {"bad_topic", "hub_mismatch", "malformed_json", "message_too_large", "bad_alert_code"}) {
      assertTrue(byReason.getLong(reason, 0L) >= 1, reason + " counted: " + byReason);
    }
    assertTrue(hub.isConnected(), "bad input never drops the connection");
    Await.until(() -> dsp.all().stream().filter(e -> e.getLong("originatorCounter", 0L) == 2003
        || e.getLong("originatorCounter", 0L) == 2005).count() == 2, Duration.ofSeconds(10), () -> "good alerts of the batch");
  }

  /** Two inputs that once went unanswered: the PUBACK never came and the client resent them for ever. */
  @Test
  void anOverflowingValueOrADeepUnknownFieldIsRefusedAloneAcknowledgedAndCounted() throws Exception {
    JsonObject before = node.status().toJson();
    int overflow = publish("alerts/" + HUB, alert("8F0F", 4001).put("raisedAt", "+300000000-01-01T00:00:00Z").toBuffer());
    String deep = alert("8F0F", 4003).put("extra", "__RAW__").encode()
        .replace("\"__RAW__\"", "{\"x\":".repeat(40) + "1" + "}".repeat(40));
    Buffer batch = Buffer.buffer("[" + alert("8F0F", 4002).encode() + "," + deep + "," + alert("8F0F", 4004).encode() + "]");
    int mixed = publish("alerts/" + HUB, batch);
    Await.until(() -> acked.containsAll(Set.of(overflow, mixed)), Duration.ofSeconds(10), () -> "acked " + acked);
    JsonObject after = node.status().toJson();
    JsonObject byReason = after.getJsonObject("rejectedByReason");
    JsonObject wasByReason = before.getJsonObject("rejectedByReason");
    assertEquals(1, byReason.getLong("bad_raised_at", 0L) - wasByReason.getLong("bad_raised_at", 0L), byReason.encode());
    assertEquals(1, byReason.getLong("alert_too_complex", 0L) - wasByReason.getLong("alert_too_complex", 0L), byReason.encode());
    assertEquals(4, after.getLong("received") - before.getLong("received"));
    assertEquals(2, after.getLong("forwarded") + after.getLong("consolidated") + after.getLong("grouped")
        - before.getLong("forwarded") - before.getLong("consolidated") - before.getLong("grouped"),
        "the two good alerts of the batch are taken");
    assertTrue(hub.isConnected());
  }

  @Test
  void aResentHeaderIsCountedAsADuplicate() throws Exception {
    long duplicates = stat("duplicates");
    publish("alerts/" + HUB, alert("8F0F", 3001).toBuffer());
    publish("alerts/" + HUB, alert("8F0F", 3001).toBuffer());
    Await.until(() -> stat("duplicates") == duplicates + 1, Duration.ofSeconds(10), () -> node.status().toJson().encode());
  }

  /**
   * MQTT 3.1.1, 4.3.3: a QoS 2 message sent again before its PUBREL (its PUBREC was lost) is answered PUBREC again and
   * not taken twice; once released, the packet id is free for the next message.
   */
  @Test
  void aQos2MessageSentAgainBeforeItsReleaseIsTakenOnce() throws Exception {
    JsonObject before = node.status().toJson();
    try (Socket socket = new Socket("127.0.0.1", mqttPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(packet(0x10, concat(string("MQTT"), new byte[] {4, 2, 0, 60}, string("qos2-" + System.nanoTime()))));
      assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
      in.readFully(new byte[3]);
      byte[] first = concat(string("alerts/" + HUB), new byte[] {0, 11}, alert("8F0E", 5001).toBuffer().getBytes());
      out.write(packet(0x34, first));
      assertAnswer(in, 0x50, 11, "PUBREC");
      out.write(packet(0x3C, first)); // DUP set, the same packet id, before PUBREL
      assertAnswer(in, 0x50, 11, "PUBREC again");
      out.write(packet(0x62, new byte[] {0, 11}));
      assertAnswer(in, 0x70, 11, "PUBCOMP");
      // Released: the id carries a new message.
      out.write(packet(0x34, concat(string("alerts/" + HUB), new byte[] {0, 11}, alert("8F0E", 5002).toBuffer().getBytes())));
      assertAnswer(in, 0x50, 11, "PUBREC of the next message");
    }
    JsonObject after = node.status().toJson();
    assertEquals(2, after.getLong("received") - before.getLong("received"), "two messages, one sent twice: " + after.encode());
    assertEquals(0, after.getLong("duplicates") - before.getLong("duplicates"), after.encode());
  }

  private static void assertAnswer(DataInputStream in, int type, int packetId, String what) throws IOException {
    assertEquals(type, in.readUnsignedByte(), what);
    assertEquals(2, in.readUnsignedByte(), what + ": remaining length");
    assertEquals(packetId, in.readUnsignedShort(), what + ": packet id");
  }
}
