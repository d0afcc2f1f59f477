package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.RawMqtt;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One client cannot take every connection of an intake (security.md, "a faulty or hostile client"): connections are
 * bounded per address on both intakes, and at the HTTP limit an idle keep-alive connection gives way to a new one.
 * The hostile client connects from 127.0.0.2, the good one from 127.0.0.1 (both loopback on Linux).
 */
class ConnectionShareTest {
  private static final int PER_ADDRESS = 4;
  private static final int HTTP_CONNECTIONS = 6;
  private static final InetAddress HOSTILE = loopback("127.0.0.2");
  private static final InetAddress GOOD = loopback("127.0.0.1");
  private static Node node;
  private static int mqttPort;
  private static int httpPort;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = TestNodes.config(null);
    config.put("limits", new JsonObject().put("maxHttpConnections", HTTP_CONNECTIONS)
        .put("maxHttpConnectionsPerAddress", PER_ADDRESS).put("maxMqttConnectionsPerAddress", PER_ADDRESS)
        .put("requestTimeout", "30s"));
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    httpPort = config.getJsonObject("node").getInteger("httpPort");
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  private static InetAddress loopback(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject security() {
    return node.status().toJson().getJsonObject("security");
  }

  private static Socket from(InetAddress source, int port) throws IOException {
    Socket s = new Socket(GOOD, port, source, 0);
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void slowRequestsFromOneAddressDoNotShutOutAnother() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS + 2; i++) {
        Socket s = from(HOSTILE, httpPort);
        s.getOutputStream().write("POST /v1/alerts HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[".getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      Await.until(() -> security().getJsonObject("http").getJsonObject("refused").getLong("address_limit", 0L) >= 2,
          Duration.ofSeconds(10), () -> security().encode());
      assertEquals(-1, slow.get(PER_ADDRESS).getInputStream().read(), "the connection past the address's share is closed");
      assertEquals(200, get(GOOD, "/health/live"), "another address is served");
    } finally {
      for (Socket s : slow) s.close();
    }
  }

  @Test
  void atTheLimitAnIdleKeepAliveConnectionGivesWayToANewOne() throws Exception {
    // Wait until the other test's connections are gone: this one needs the whole limit.
    Await.until(() -> security().getJsonObject("http").getInteger("connections") <= 1, Duration.ofSeconds(10),
        () -> security().encode());
    List<Socket> idle = new ArrayList<>();
    try {
      InetAddress[] sources = {HOSTILE, loopback("127.0.0.3")};
      for (int i = 0; i < HTTP_CONNECTIONS; i++) {
        Socket s = from(sources[i % 2], httpPort);
        s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(statusLine(s.getInputStream()).startsWith("HTTP/1.1 200"), "keep-alive connection " + i);
        idle.add(s);
      }
      long idleDrops = security().getJsonObject("http").getJsonObject("dropped").getLong("idle", 0L);
      assertEquals(200, get(GOOD, "/v1/status"), "served although every connection was taken, by idle ones");
      assertEquals(idleDrops + 1, security().getJsonObject("http").getJsonObject("dropped").getLong("idle", 0L),
          "one idle connection gave way: " + security().encode());
      assertEquals(0, security().getJsonObject("http").getJsonObject("refused").getLong("connection_limit", 0L));
    } finally {
      for (Socket s : idle) s.close();
    }
  }

  /**
   * Connections that never send a request are idle too: four addresses each within their share could otherwise fill
   * the limit with silent connections for requestTimeout at a time, renewed, and shut every other client out (health
   * probes too). At the limit the address holding most connections gives up its longest idle one.
   */
  @Test
  void atTheLimitAConnectionThatSentNothingGivesWayToANewOne() throws Exception {
    Await.until(() -> security().getJsonObject("http").getInteger("connections") <= 1, Duration.ofSeconds(10),
        () -> security().encode());
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) silent.add(from(HOSTILE, httpPort));
      for (int i = PER_ADDRESS; i < HTTP_CONNECTIONS; i++) silent.add(from(loopback("127.0.0.3"), httpPort));
      Await.until(() -> security().getJsonObject("http").getInteger("connections") >= HTTP_CONNECTIONS, Duration.ofSeconds(10),
          () -> security().encode());
      long refusedBefore = security().getJsonObject("http").getJsonObject("refused").getLong("connection_limit", 0L);
      assertEquals(200, get(GOOD, "/health/live"), "served although silent connections took every one");
      assertEquals(-1, silent.get(0).getInputStream().read(), "the longest silent one of the address holding most gave way");
      silent.get(HTTP_CONNECTIONS - 1).setSoTimeout(200);
      assertTrue(stillOpen(silent.get(HTTP_CONNECTIONS - 1)), "the other address keeps its connections");
      assertEquals(refusedBefore, security().getJsonObject("http").getJsonObject("refused").getLong("connection_limit", 0L));
    } finally {
      for (Socket s : silent) s.close();
    }
  }

  /**
   * MQTT lets a CONNECT carry 64 KiB strings (will, user name, password), kept for as long as the connection is open:
   * a few thousand idle connections within every limit exhausted the heap. Such a CONNECT is refused and counted.
   */
  @Test
  void aConnectKeepingMoreThanAConnectionMayHoldIsRefused() throws Exception {
    long before = security().getJsonObject("mqtt").getJsonObject("refused").getLong("connect_too_large", 0L);
    byte[] willMessage = new byte[60_000];
    try (Socket s = from(GOOD, mqttPort)) {
      // Clean session and a will (flags 0x06), keep-alive 0, the client id, the will's topic and message.
      s.getOutputStream().write(RawMqtt.packet(0x10, RawMqtt.string("MQTT"), new byte[] {4, 0x06, 0, 0},
          RawMqtt.string("big"), RawMqtt.string("hubs/status"), RawMqtt.bytes(willMessage)));
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
      assertEquals(2, in.readUnsignedByte());
      in.readUnsignedByte();
      assertEquals(5, in.readUnsignedByte(), "refused: not authorised");
      assertEquals(-1, in.read(), "and closed");
    }
    assertEquals(before + 1, security().getJsonObject("mqtt").getJsonObject("refused").getLong("connect_too_large", 0L));
    try (Socket small = from(GOOD, mqttPort)) {
      assertEquals(0, connect(small, "small-connect"), "an ordinary CONNECT is taken");
    }
  }

  private static boolean stillOpen(Socket s) throws IOException {
    try {
      return s.getInputStream().read() >= 0;
    } catch (java.net.SocketTimeoutException quiet) {
      return true;
    }
  }

  @Test
  void mqttConnectionsFromOneAddressAreBoundedAndAnotherAddressConnects() throws Exception {
    List<Socket> taken = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        Socket s = from(HOSTILE, mqttPort);
        assertEquals(0, connect(s, "hostile-" + i), "CONNACK accepted for connection " + i);
        taken.add(s);
      }
      try (Socket over = from(HOSTILE, mqttPort)) {
        assertEquals(3, connect(over, "hostile-over"), "CONNACK server unavailable past the address's share");
      }
      try (Socket good = from(GOOD, mqttPort)) {
        assertEquals(0, connect(good, "good"), "another address connects");
      }
      assertEquals(1, security().getJsonObject("mqtt").getJsonObject("refused").getLong("address_limit", 0L));
    } finally {
      for (Socket s : taken) s.close();
    }
  }

  /** MQTT 3.1.1, 3.1.4-2: a client connecting with the id of a connected one (a half-open connection) takes its place. */
  @Test
  void aConnectWithTheClientIdOfAConnectedClientTakesItsPlace() throws Exception {
    long takenOver = security().getJsonObject("mqtt").getJsonObject("dropped").getLong("taken_over", 0L);
    try (Socket first = from(GOOD, mqttPort); Socket second = from(GOOD, mqttPort)) {
      assertEquals(0, connect(first, "head-end-7"));
      assertEquals(0, connect(second, "head-end-7"));
      assertEquals(-1, first.getInputStream().read(), "the earlier connection is closed");
      second.getOutputStream().write(new byte[] {(byte) 0xC0, 0}); // PINGREQ
      assertEquals(0xD0, second.getInputStream().read(), "the new one is served");
    }
    assertEquals(takenOver + 1, security().getJsonObject("mqtt").getJsonObject("dropped").getLong("taken_over", 0L));
  }

  /** Sends an MQTT 3.1.1 CONNECT and returns the CONNACK's return code. */
  private static int connect(Socket s, String clientId) throws IOException {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length});
    body.writeBytes(id);
    OutputStream out = s.getOutputStream();
    out.write(0x10);
    out.write(body.size());
    out.write(body.toByteArray());
    DataInputStream in = new DataInputStream(s.getInputStream());
    assertEquals(0x20, in.readUnsignedByte(), "CONNACK");
    assertEquals(2, in.readUnsignedByte());
    in.readUnsignedByte();
    return in.readUnsignedByte();
  }

  private static int get(InetAddress source, String path) throws IOException {
    try (Socket s = from(source, httpPort)) {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String line = statusLine(s.getInputStream());
      return Integer.parseInt(line.split(" ")[1]);
    }
  }

  /** The status line of the next answer, and the rest of that answer's head and body (by its Content-Length). */
  private static String statusLine(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
    }
    in.readNBytes(length);
    return status;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) if (c != '\r') b.append((char) c);
    return b.toString();
  }
}
