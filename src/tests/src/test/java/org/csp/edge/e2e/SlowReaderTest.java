package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.csp.edge.support.MetricsScrape;
import org.csp.edge.support.Await;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that keeps sending but never reads what the node answers. Every answer the node writes (a PUBACK, an
 * HTTP response) waits for it: first in the kernel's socket buffers (bounded by the system), then in the node's
 * memory. Unless the node stops reading that client, one authenticated client grows the node's heap without limit.
 * Each case runs the node in a JVM of its own (256 MiB heap), with a client on a raw socket whose receive buffer is
 * small, so that the test decides exactly what is read.
 */
class SlowReaderTest {
  private static final String CODE = "8F0A";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The slow client's receive buffer: the kernel takes little of the node's answers on its side. */
  private static final int SMALL_RECEIVE_BUFFER = 4096;
  /** The socket took nothing for this long: the node stopped reading and the buffers between are full. */
  private static final Duration STALL = Duration.ofSeconds(3);
  /**
   * Far more than the kernel's buffers hold (tcp_wmem's maximum, 4 MiB here, is about a million 4-byte PUBACKs on
   * the node's side; its receive buffer and the client's send buffer hold more of the messages): a node that never
   * stops reading takes them all.
   */
  private static final long FLOOD = Math.max(3_000_000, 3 * kernelSendBufferMax() / 4);
  /** Real alerts at the start of the flood, each from a device of its own, so that a resend is a duplicate. */
  private static final int ALERTS = 500;
  private static final int DEVICES_PER_HUB = 50;
  /** Unacknowledged messages the resending client allows itself (below limits.maxPendingAcksPerConnection). */
  private static final int RESEND_WINDOW = 200;

  private Vertx vertx;
  private NodeProcess node;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = TestNodes.config(null);
    // No rate limit: the client may send as fast as it likes; what bounds it here is that it does not read. The
    // filler messages are refusals (the cheapest answers to ask for): the drop of a connection whose refusals persist
    // (limits.dropAfter, 10 s, by which time today's node had taken 1.8 million of them) is put out of the way.
    config.put("limits", new JsonObject().put("messagesPerSecond", 0).put("dropAfter", "1h"));
    config.put("durability", new JsonObject().put("journal", "off"));
    config.getJsonObject("policy").put("codes", new JsonObject().put(CODE, new JsonObject().put("mode", "forward")));
    node = NodeProcess.start("slow-reader", config, Map.of()).awaitReady(Duration.ofSeconds(60));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) node.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * QoS 1 PUBLISHes, never reading a PUBACK: once the PUBACKs waiting in the node pass
   * limits.maxPendingOutputBytesPerConnection the node stops reading that connection (TCP holds the client back),
   * counts and shows it, and serves another client as before. Closed while paused, the client resends on a new
   * connection what it never saw acknowledged: every alert is counted once, the resent ones as duplicates.
   */
  @Test
  void anMqttClientThatNeverReadsItsAcknowledgementsIsNoLongerRead() throws Exception {
    String idle = heap();
    long written;
    long takenFirst;
    try (UnreadingClient slow = UnreadingClient.connect(node.mqttPort(), SMALL_RECEIVE_BUFFER)) {
      slow.write(connect("never-reads"));
      byte[] connack = slow.read(4);
      assertEquals(0x20, connack[0] & 0xFF, "CONNACK");
      assertEquals(0, connack[3], "accepted");
      // The alerts first, decided before the rest comes: the PUBACKs go in order, so fillers taken while the alerts
      // are being decided would wait for them past limits.maxPendingAcksPerConnection (that bound is another test's).
      assertEquals(ALERTS, slow.nonBlocking().flood(SlowReaderTest::publish, ALERTS, STALL));
      Await.until(() -> node.status().getLong("received") == ALERTS && node.status().getLong("acksPending") == 0,
          Duration.ofSeconds(30), () -> node.status().encode());
      written = slow.flood(SlowReaderTest::publish, FLOOD, STALL);
      assertTrue(written < FLOOD, "the node stopped reading the client before it had sent " + FLOOD + " messages;"
          + " it had taken " + node.status().getLong("received") + ", " + heap());
      Await.until(() -> node.status().getLong("inProgress") == 0, Duration.ofSeconds(20), () -> node.status().encode());
      takenFirst = node.status().getLong("received");
      Thread.sleep(1000);
      assertEquals(takenFirst, (long) node.status().getLong("received"), "nothing more is read while the client reads nothing");
      assertTrue(takenFirst < written, "taken " + takenFirst + " of " + written + " written: the rest waits in the kernel");
      assertEquals(1, metric("csp_mqtt_connections_reads_paused"), "the paused connection is shown");
      assertTrue(metric("csp_mqtt_reads_paused_total") >= 1, "and counted");
      System.out.printf("MQTT slow reader: wrote %d, the node took %d and paused; %s (before the client: %s)%n", written,
          takenFirst, heap(), idle);

      List<Double> latencies = wellBehavedClientLatencies();
      assertTrue(latencies.stream().allMatch(ms -> ms < 2000), "another client is served promptly meanwhile: " + latencies);
      assertEquals(takenFirst + latencies.size(), (long) node.status().getLong("received"));
      if (slow.partial()) written++; // the client resends the message it had begun as well
    }
    Await.until(() -> metricQuietly("csp_mqtt_connections_reads_paused") == 0, Duration.ofSeconds(10),
        () -> "a closed connection is no longer shown as paused");

    // Reconnected, the client sends again everything it never saw acknowledged: all of it.
    long acknowledged;
    try (UnreadingClient again = UnreadingClient.connect(node.mqttPort(), 0)) {
      again.write(connect("never-reads"));
      assertEquals(0, again.read(4)[3], "accepted");
      acknowledged = resend(again.nonBlocking(), written);
    }
    assertEquals(written, acknowledged, "every message sent again is acknowledged");
    Await.until(() -> node.status().getLong("inProgress") == 0, Duration.ofSeconds(30), () -> node.status().encode());
    JsonObject s = node.status();
    long wellBehaved = 20;
    assertEquals(takenFirst + wellBehaved + written, s.getLong("received"), s.encode());
    assertEquals(ALERTS + wellBehaved, s.getLong("forwarded"), "each alert forwarded once: " + s.encode());
    assertEquals(ALERTS, s.getLong("duplicates"), "the alerts taken before the close are duplicates when resent");
    assertEquals((takenFirst - ALERTS) + (written - ALERTS), s.getJsonObject("rejectedByReason").getLong("bad_topic"),
        "the filler messages, refused each time they came");
    assertEquals(s.getLong("received"), s.getLong("forwarded") + s.getLong("consolidated") + s.getLong("grouped")
        + s.getLong("silenced") + s.getLong("inhibited") + s.getLong("duplicates") + s.getLong("rejected"),
        "received = the outcomes: " + s.encode());
  }

  /**
   * A client that stops reading and then reads again: the node stops reading it, then reads again once its answers
   * have drained, until every message the client wrote is taken and acknowledged on the same connection.
   */
  @Test
  void anMqttClientThatReadsAgainIsReadAgain() throws Exception {
    LongFunction<byte[]> filler = i -> publish(ALERTS + i);
    try (UnreadingClient client = UnreadingClient.connect(node.mqttPort(), SMALL_RECEIVE_BUFFER)) {
      client.write(connect("reads-late"));
      assertEquals(0, client.read(4)[3], "accepted");
      long written = client.nonBlocking().flood(filler, FLOOD, STALL);
      assertTrue(written < FLOOD, "the node stopped reading the client");
      assertEquals(1, metric("csp_mqtt_connections_reads_paused"), "paused");
      long taken = node.status().getLong("received");

      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      long acknowledged = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (acknowledged < client.written() || client.partial()) {
        if (System.nanoTime() > deadline) throw new AssertionError("acknowledged " + acknowledged + " of " + client.written());
        client.continuePartial();
        assertTrue(client.readAvailable(in), "the node closed the connection after " + acknowledged + " PUBACKs");
        acknowledged += pubacks(in);
        if (in.position() == 0) Thread.sleep(1);
      }
      assertEquals(client.written(), acknowledged, "every message written is taken and acknowledged");
      assertTrue(client.written() > taken, "read again after the pause: " + taken + " taken before, " + client.written() + " now");
      assertEquals(acknowledged, (long) node.status().getLong("received"));
      assertEquals(0, metric("csp_mqtt_connections_reads_paused"), "no longer paused");
    }
  }

  /**
   * Pipelined HTTP requests, never reading a response: Vert.x takes the next request only once the previous
   * response is written out of its queue, so the node stops reading such a connection by itself. Reading again, the
   * client gets an answer to every request.
   */
  @Test
  void anHttpClientThatPipelinesWithoutReadingIsNoLongerRead() throws Exception {
    byte[] request = ("POST /v1/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n"
        + "\r\nx").getBytes(StandardCharsets.US_ASCII);
    try (UnreadingClient slow = UnreadingClient.connect(node.httpPort(), SMALL_RECEIVE_BUFFER)) {
      long written = slow.nonBlocking().flood(i -> request, FLOOD, STALL);
      assertTrue(written < FLOOD, "the node stopped reading the client before it had sent " + FLOOD + " requests;"
          + " it had taken " + node.status().getLong("received") + ", " + heap());
      long taken = node.status().getLong("received");
      Thread.sleep(1000);
      assertEquals(taken, (long) node.status().getLong("received"), "nothing more is read while the client reads nothing");
      assertTrue(taken < written, "taken " + taken + " of " + written + " written");
      System.out.printf("HTTP slow reader: wrote %d requests, the node took %d and stopped reading; %s%n", written, taken, heap());

      long start = System.nanoTime();
      HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/v1/alerts"))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(alert(FLOOD, "00-1B-C5-0D-00-0F-00-01").encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, other.statusCode(), other.body());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "another client is served promptly meanwhile");

      long requests = slow.written() + (slow.partial() ? 1 : 0);
      long answered = readResponses(slow, requests);
      assertEquals(requests, answered, "reading again, the client gets an answer to every request");
      JsonObject s = node.status();
      assertEquals(slow.written() + 1, s.getLong("received"), s.encode());
      assertEquals(slow.written(), s.getJsonObject("rejectedByReason").getLong("unsupported_media_type"), s.encode());
    }
  }

  /** Sends messages {@code 0..count-1} again, at most {@link #RESEND_WINDOW} unacknowledged; the PUBACKs read. */
  private long resend(UnreadingClient client, long count) throws Exception {
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    long acknowledged = 0;
    long sent = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (acknowledged < count) {
      if (System.nanoTime() > deadline) throw new AssertionError("acknowledged " + acknowledged + " of " + count);
      long upTo = Math.min(count, acknowledged + RESEND_WINDOW);
      if (sent < upTo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = sent; i < upTo; i++) out.write(publish(i));
        client.write(out.toByteArray());
        sent = upTo;
      }
      assertTrue(client.readAvailable(in), "the node closed the connection after " + acknowledged + " PUBACKs");
      acknowledged += pubacks(in);
      if (in.position() == 0 && sent == upTo && acknowledged < sent) Thread.sleep(1);
    }
    return acknowledged;
  }

  /** Reads HTTP responses (each with a Content-Length) until {@code count} have come, finishing the request begun. */
  private static long readResponses(UnreadingClient client, long count) throws Exception {
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    long answered = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (answered < count) {
      if (System.nanoTime() > deadline) throw new AssertionError("answered " + answered + " of " + count);
      client.continuePartial(); // the request begun when the node stopped reading
      in.clear();
      assertTrue(client.readAvailable(in), "the node closed the connection after " + answered + " answers");
      if (in.position() == 0) {
        Thread.sleep(1);
        continue;
      }
      pending.write(in.array(), 0, in.position());
      byte[] bytes = pending.toByteArray();
      int at = 0;
      while (true) {
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
        if (headEnd < 0) break;
        String head = new String(bytes, at, headEnd - at, StandardCharsets.US_ASCII);
        assertTrue(head.startsWith("HTTP/1.1 415"), head);
        int length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
            .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
        if (headEnd + 4 + length > bytes.length) break;
        at = headEnd + 4 + length;
        answered++;
      }
      pending.reset();
      pending.write(bytes, at, bytes.length - at);
    }
    return answered;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** 20 QoS 1 alerts one after another from another connection; the PUBACK latency of each, in milliseconds. */
  private List<Double> wellBehavedClientLatencies() throws Exception {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId("reads-its-acks"));
    c.connect(node.mqttPort(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<Double> latencies = new ArrayList<>();
    AtomicReference<CompletableFuture<Void>> acked = new AtomicReference<>();
    c.publishCompletionHandler(packetId -> acked.get().complete(null));
    for (int i = 0; i < 20; i++) {
      String hub = String.format("00-1B-C5-0C-00-0E-00-%02X", i);
      acked.set(new CompletableFuture<>());
      long start = System.nanoTime();
      c.publish("alerts/" + hub, alert(i, hub.replace("-0C-", "-0D-")).put("hubId", hub).toBuffer(),
          MqttQoS.AT_LEAST_ONCE, false, false);
      acked.get().get(10, TimeUnit.SECONDS);
      latencies.add((System.nanoTime() - start) / 1e6);
    }
    c.disconnect();
    return latencies;
  }

  /** Message {@code i} of the flood: an alert for the first {@link #ALERTS}, then the smallest QoS 1 PUBLISH (refused as bad_topic). */
  private static byte[] publish(long i) {
    int packetId = (int) (i % 65_535) + 1;
    if (i >= ALERTS) return publishPacket("x", packetId, new byte[0]);
    String hub = String.format("00-1B-C5-0C-00-0A-%02X-%02X", (i / DEVICES_PER_HUB) >> 8, (i / DEVICES_PER_HUB) & 0xFF);
    String device = String.format("00-1B-C5-0D-00-0A-%02X-%02X", i >> 8, i & 0xFF);
    return publishPacket("alerts/" + hub, packetId, alert(i, device).put("hubId", hub).toBuffer().getBytes());
  }

  private static JsonObject alert(long counter, String device) {
    return new JsonObject().put("hubId", "00-1B-C5-0C-00-0F-00-01").put("deviceId", device).put("deviceType", "ESME")
        .put("alertCode", CODE).put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }

  private static byte[] publishPacket(String topic, int packetId, byte[] payload) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x32); // PUBLISH, QoS 1
    remainingLength(out, 2 + t.length + 2 + payload.length);
    out.write(t.length >> 8);
    out.write(t.length);
    out.write(t, 0, t.length);
    out.write(packetId >> 8);
    out.write(packetId);
    out.write(payload, 0, payload.length);
    return out.toByteArray();
  }

  /** MQTT 3.1.1 CONNECT: clean session, no credentials, keep-alive off (the node's idle timeout still applies). */
  private static byte[] connect(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x10);
    remainingLength(out, 10 + 2 + id.length);
    out.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0});
    out.write(id.length >> 8);
    out.write(id.length);
    out.writeBytes(id);
    return out.toByteArray();
  }

  private static void remainingLength(ByteArrayOutputStream out, int length) {
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }

  /** The largest a TCP send buffer may grow (Linux: the last of net.ipv4.tcp_wmem), 4 MiB where unknown. */
  private static long kernelSendBufferMax() {
    try {
      String[] wmem = java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
      return Long.parseLong(wmem[wmem.length - 1]);
    } catch (java.io.IOException | RuntimeException unknown) {
      return 4L << 20;
    }
  }

  /** The node's heap in use just after a full collection (jcmd GC.run): for the record, not asserted. */
  private String heap() {
    try {
      Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(node.pid()), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      gc.waitFor(30, TimeUnit.SECONDS);
      return String.format("heap in use after a full GC %.0f MiB", metric("jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20));
    } catch (Exception e) {
      return "heap unknown (" + e + ")";
    }
  }

  private double metricQuietly(String name) {
    try {
      return metric(name);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private double metric(String name) throws Exception {
    return metric(name, null);
  }

  /** The whole PUBACKs (4 bytes each) read into {@code in}, taken out of it; a partial one stays for the next read. */
  private static long pubacks(ByteBuffer in) {
    long n = 0;
    in.flip();
    while (in.remaining() >= 4) {
      assertEquals(0x40, in.get() & 0xFF, "a PUBACK");
      in.get();
      in.getShort();
      n++;
    }
    in.compact();
    return n;
  }

  private double metric(String name, String label) throws Exception {
    return MetricsScrape.sum(node.httpPort(), name, label);
  }
}
