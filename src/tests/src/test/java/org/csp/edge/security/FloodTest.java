package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slow loris and a connection flood on loopback, bounded in count (a few hundred sockets) and time (seconds):
 * the node closes the slow ones at their deadline, refuses connections over its limit with a clear CONNACK, counts
 * both, and a client already connected keeps getting its alerts acknowledged within the usual latency.
 */
class FloodTest {
  private static final int MAX_MQTT_CONNECTIONS = 60;
  private static final int MAX_HTTP_CONNECTIONS = 60;
  private static final int MQTT_SLOW = 80;
  private static final int MQTT_FLOOD = 120;
  private static final int HTTP_SLOW = 40;
  private static final long DRIBBLE_EVERY_MS = 200;
  private static final Duration ATTACK = Duration.ofSeconds(4);
  private static final String HUB = "00-1B-C5-0C-00-00-50-01";

  private static Vertx vertx;
  private static Node node;
  private static int mqttPort;
  private static int httpPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = TestNodes.config(null);
    config.put("limits", new JsonObject().put("maxMqttConnections", MAX_MQTT_CONNECTIONS)
        .put("maxHttpConnections", MAX_HTTP_CONNECTIONS).put("connectTimeout", "1s").put("requestTimeout", "1s"));
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    httpPort = config.getJsonObject("node").getInteger("httpPort");
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject security(String intake) {
    return node.status().toJson().getJsonObject("security").getJsonObject(intake);
  }

  /** A minimal MQTT 3.1.1 CONNECT: clean session, no credentials, keep-alive off. */
  static byte[] connectPacket(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0};
    int remaining = variable.length + 2 + id.length;
    byte[] p = new byte[2 + remaining];
    p[0] = 0x10;
    p[1] = (byte) remaining;
    System.arraycopy(variable, 0, p, 2, variable.length);
    p[12] = (byte) (id.length >> 8);
    p[13] = (byte) id.length;
    System.arraycopy(id, 0, p, 14, id.length);
    return p;
  }

  /** Sends QoS 1 alerts one after another; the PUBACK latency of each, in milliseconds. */
  private static List<Double> publishLatencies(MqttClient c, int count, long firstCounter) throws Exception {
    java.util.concurrent.atomic.AtomicLong sentAt = new java.util.concurrent.atomic.AtomicLong();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    c.publishCompletionHandler(id -> latencies.add((System.nanoTime() - sentAt.get()) / 1e6));
    for (int i = 0; i < count; i++) {
      JsonObject alert = new JsonObject().put("hubId", HUB).put("deviceId", "00-1B-C5-0C-00-00-50-02").put("alertCode", "8F0F")
          .put("originatorCounter", firstCounter + i).put("raisedAt", Instant.now().toString());
      sentAt.set(System.nanoTime());
      c.publish("alerts/" + HUB, alert.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int expected = i + 1;
      Await.until(() -> latencies.size() >= expected, Duration.ofSeconds(10), () -> "PUBACK missing");
      Thread.sleep(20);
    }
    return latencies;
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  private static boolean closedByPeer(Socket s) {
    try {
      s.setSoTimeout(50);
      InputStream in = s.getInputStream();
      while (true) {
        if (in.read() < 0) return true;
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void slowLorisAndConnectionFloodDoNotHoldUpOtherClients() throws Exception {
    MqttClientOptions options = new MqttClientOptions().setClientId("legit-headend").setAutoKeepAlive(true);
    MqttClient legit = MqttClient.create(vertx, options);
    legit.connect(mqttPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<Double> usual = publishLatencies(legit, 20, 1);

    long httpSlowBefore = security("http").getJsonObject("dropped").getLong("slow_client", 0L);
    long limitBefore = security("mqtt").getJsonObject("refused").getLong("connection_limit", 0L);
    List<Socket> slowMqtt = new ArrayList<>();
    List<Socket> slowHttp = new ArrayList<>();
    List<Socket> flood = new ArrayList<>();
    try {
      byte[] connect = connectPacket("slow-loris");
      byte[] request = "POST /v1/alerts HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < MQTT_SLOW; i++) slowMqtt.add(new Socket("127.0.0.1", mqttPort));
      for (int i = 0; i < HTTP_SLOW; i++) slowHttp.add(new Socket("127.0.0.1", httpPort));
      for (int i = 0; i < MQTT_FLOOD; i++) {
        Socket s = new Socket("127.0.0.1", mqttPort);
        s.getOutputStream().write(connectPacket("flood-" + i));
        flood.add(s);
      }
      // The dribble, on its own thread while the legitimate client publishes: one byte per socket every 200 ms.
      Thread dribble = new Thread(() -> {
        long end = System.nanoTime() + ATTACK.toNanos();
        for (int step = 0; System.nanoTime() < end; step++) {
          for (Socket s : slowMqtt) write(s, connect[Math.min(step, connect.length - 2)]);
          for (Socket s : slowHttp) write(s, request[Math.min(step, request.length - 1)]);
          try {
            Thread.sleep(DRIBBLE_EVERY_MS);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "slow-loris");
      dribble.start();
      List<Double> underAttack = publishLatencies(legit, 50, 1000);
      HttpClient http = vertx.createHttpClient();
      int status = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(httpPort)
              .setURI("/v1/alerts").putHeader("Content-Type", "application/json"))
          .compose(r -> r.send(Buffer.buffer(new JsonObject().put("hubId", HUB).put("deviceId", "00-1B-C5-0C-00-00-50-03")
              .put("alertCode", "8F0F").put("originatorCounter", 5000).put("raisedAt", Instant.now().toString()).encode())))
          .map(r -> r.statusCode()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(200, status, "an HTTP caller gets through during the slow loris");
      dribble.join();

      double usualP95 = percentile(usual, 0.95);
      double attackP95 = percentile(underAttack, 0.95);
      assertEquals(50, underAttack.size(), "every alert acknowledged");
      assertTrue(attackP95 <= Math.max(5 * usualP95, 100), "p95 " + attackP95 + " ms under attack vs " + usualP95 + " ms before");
      assertTrue(percentile(underAttack, 1.0) < 1000, "worst " + percentile(underAttack, 1.0) + " ms");

      // Every slow socket was closed by the node at its deadline (1 s), though it kept sending bytes.
      assertEquals(MQTT_SLOW, slowMqtt.stream().filter(FloodTest::closedByPeer).count(), "slow MQTT CONNECTs closed");
      assertEquals(HTTP_SLOW, slowHttp.stream().filter(FloodTest::closedByPeer).count(), () -> "slow HTTP requests closed: " + security("http").encode());
      assertTrue(security("http").getJsonObject("dropped").getLong("slow_client", 0L) >= httpSlowBefore + HTTP_SLOW);
      // The flood: as many in as the limit allows (the legitimate client holds one), the rest refused and counted.
      long refusedByLimit = security("mqtt").getJsonObject("refused").getLong("connection_limit", 0L) - limitBefore;
      assertEquals(MQTT_FLOOD - (MAX_MQTT_CONNECTIONS - 1), refusedByLimit, security("mqtt").encode());
      assertTrue(legit.isConnected());
    } finally {
      for (List<Socket> group : List.of(slowMqtt, slowHttp, flood)) for (Socket s : group) s.close();
    }
    Await.until(() -> security("mqtt").getInteger("connections") == 1, Duration.ofSeconds(5), () -> security("mqtt").encode());
    legit.disconnect();
  }

  private static void write(Socket s, byte b) {
    try {
      s.getOutputStream().write(b);
      s.getOutputStream().flush();
    } catch (IOException closed) {
      // closed by the node: what is expected of a slow loris
    }
  }
}
