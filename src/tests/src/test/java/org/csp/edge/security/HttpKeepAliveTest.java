package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An HTTP keep-alive connection between requests is held for {@code limits.idleTimeout}, not for the request
 * deadline, and the answers say so a little short of it (Keep-Alive: timeout), so that clients close idle
 * connections first: a close by the node just as a client reuses the connection loses that request. Past the idle
 * limit the node closes it and counts it. On a raw socket, as any client sends.
 */
class HttpKeepAliveTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(7);
  /** Well past the request deadline, well within the idle limit. */
  private static final Duration BETWEEN_REQUESTS = Duration.ofSeconds(2);
  private static Node node;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = TestNodes.config(null);
    config.put("limits", new JsonObject().put("requestTimeout", REQUEST_TIMEOUT.toMillis() + "ms")
        .put("idleTimeout", IDLE_TIMEOUT.toSeconds() + "s"));
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  @Test
  void anIdleConnectionIsKeptForTheIdleLimitAdvertisedShortOfItThenClosedAndCounted() throws Exception {
    long idleBefore = dropped("idle");
    try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
      socket.setSoTimeout((int) (IDLE_TIMEOUT.toMillis() * 3));
      InputStream in = socket.getInputStream();
      String first = exchange(socket, in);
      assertTrue(first.startsWith("HTTP/1.1 200"), first);
      assertTrue(first.toLowerCase().contains("\r\nkeep-alive: timeout=2\r\n"), "7 s less the 5 s margin: " + first);

      Thread.sleep(BETWEEN_REQUESTS.toMillis());
      String second = exchange(socket, in);
      assertTrue(second.startsWith("HTTP/1.1 200"), "the same connection answers after a pause past the request deadline: " + second);

      long idleSince = System.nanoTime();
      assertEquals(-1, readEnd(in), "the node closes the connection once idle past its limit");
      long idleMillis = (System.nanoTime() - idleSince) / 1_000_000;
      assertTrue(idleMillis >= IDLE_TIMEOUT.toMillis() - BETWEEN_REQUESTS.toMillis(), "closed after " + idleMillis + " ms idle");
    }
    Await.until(() -> dropped("idle") == idleBefore + 1, Duration.ofSeconds(10), () -> "counted as idle: " + dropped("idle"));
  }

  /** One GET of the liveness probe; the whole answer (headers and the body its Content-Length gives). */
  private static String exchange(Socket socket, InputStream in) throws IOException {
    socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: node\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before the answer's headers ended: " + head);
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
    }
    in.readNBytes(length);
    return headers;
  }

  private static int readEnd(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    }
  }

  private static long dropped(String reason) {
    return node.status().toJson().getJsonObject("security").getJsonObject("http").getJsonObject("dropped").getLong(reason, 0L);
  }
}
