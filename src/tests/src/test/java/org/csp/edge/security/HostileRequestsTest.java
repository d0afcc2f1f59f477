package org.csp.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.LogCapture;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests a client may send to fill the node's log or to find an answer it should not give: MQTT packets before
 * CONNECT (each once logged a stack trace), a request target whose percent-escapes do not decode (a stack trace a
 * request, or a 500), and HEAD on what answers GET (once a 405). Each is answered, counted where it is a refusal, and
 * logged at most once per interval.
 */
class HostileRequestsTest {
  private static LogCapture logs;
  private static Node node;
  private static int mqttPort;
  private static int httpPort;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.everything();
    JsonObject config = TestNodes.config(null);
    mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    httpPort = config.getJsonObject("node").getInteger("httpPort");
    node = TestNodes.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    logs.close();
    TestNodes.stop(node);
  }

  private static List<ILoggingEvent> logged(String text) {
    return logs.containing(text);
  }

  private static long errorsLogged() {
    return logs.at(Level.ERROR).size();
  }

  @Test
  void mqttPacketsBeforeConnectAreCountedAndLoggedOncePerInterval() throws Exception {
    long errors = errorsLogged();
    int connections = 20;
    int packets = 50;
    byte[] publish = {0x32, 0x0c, 0x00, 0x06, 'a', 'l', 'e', 'r', 't', 's', 0x00, 0x01, '{', '}'};
    for (int c = 0; c < connections; c++) {
      try (Socket s = new Socket("127.0.0.1", mqttPort)) {
        OutputStream out = s.getOutputStream();
        try {
          for (int p = 0; p < packets; p++) out.write(publish);
          out.flush();
        } catch (java.net.SocketException closedByTheNode) {
          continue; // it refused what it read and closed the connection before the rest was sent
        }
        s.setSoTimeout(2000);
        try {
          s.getInputStream().read(); // the node answers nothing before CONNECT; wait for its close or the timeout
        } catch (java.net.SocketTimeoutException e) {
          // still open: the connect timeout closes it
        }
      }
    }
    Await.until(() -> refused("not_connected") >= connections, Duration.ofSeconds(10),
        () -> node.status().toJson().getJsonObject("security").encode());
    assertTrue(refused("not_connected") <= (long) connections * packets, "each packet counted once at most");
    assertEquals(errors, errorsLogged(), "no error logged for a client's packets: " + logged("not connected"));
    assertTrue(logged("MQTT packet refused").size() <= 2, "at most one line per 5 s: " + logged("MQTT packet refused"));
    assertTrue(logged("not connected client").isEmpty(), "no stack trace: " + logged("not connected client"));
  }

  private static long refused(String reason) {
    return node.status().toJson().getJsonObject("security").getJsonObject("mqtt").getJsonObject("refused").getLong(reason, 0L);
  }

  @Test
  void aTargetWhosePercentEscapesDoNotDecodeIsA400ProblemNotAStackTrace() throws Exception {
    long errors = errorsLogged();
    for (String target : List.of("/console/%ZZ", "/v1/%", "/v1/reports/alerts?from=%G1", "/health/live%2")) {
      try (Socket s = new Socket("127.0.0.1", httpPort)) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 400"), target + ": " + answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), target + ": " + answer);
      }
    }
    assertEquals(errors, errorsLogged(), "no error logged: " + logged("escape"));
  }

  @Test
  void headAnswersWhatGetAnswersWithoutTheBody() throws Exception {
    for (String path : List.of("/", "/v1/status", "/health/live", "/metrics", "/v1/openapi.json")) {
      HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET()
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, get.statusCode(), path);
      assertEquals(200, head.statusCode(), "HEAD " + path);
      assertEquals(0, head.body().length, "HEAD " + path + " has no body");
      assertEquals(get.headers().firstValue("content-type"), head.headers().firstValue("content-type"), path);
    }
    HttpResponse<String> headOfPost = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/alerts"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, headOfPost.statusCode(), "what does not answer GET does not answer HEAD");
  }

  /**
   * A body whose end the node cannot find (a transfer coding it does not decode) is refused 501 and its connection
   * closed, so nothing after it on the connection is read as a request; an encoded body is refused 415, counted.
   */
  @Test
  void aBodyInACodingTheNodeDoesNotDecodeIsRefusedNotMisread() throws Exception {
    try (Socket s = new Socket("127.0.0.1", httpPort)) {
      s.setSoTimeout(10_000);
      String body = "[]";
      s.getOutputStream().write(("POST /v1/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: gzip, chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
          + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8); // to the close
      assertTrue(answer.startsWith("HTTP/1.1 501"), answer);
      assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "nothing after it was read as a request: " + answer);
    }
    long refused = node.status().toJson().getJsonObject("rejectedByReason").getLong("unsupported_media_type", 0L);
    HttpResponse<String> encoded = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/alerts"))
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x1f, (byte) 0x8b, 8, 0})).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(415, encoded.statusCode(), encoded.body());
    assertTrue(encoded.body().contains("\"header\":\"Content-Encoding\""), encoded.body());
    assertEquals(refused + 1, node.status().toJson().getJsonObject("rejectedByReason").getLong("unsupported_media_type", 0L));
  }

  /**
   * What the HTTP parser refuses (a request line or headers past its limits, a line that is not HTTP) is answered as
   * every other error: problem+json with the status that says why, counted, and the connection closed, so the bytes
   * after it are never read as a request. Vert.x's own answer was an empty 414 or 431, or a close without a word.
   */
  @Test
  void whatTheParserRefusesIsAnsweredAsAProblemCountedAndTheConnectionClosed() throws Exception {
    String follow = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    List<String[]> cases = List.of(
        new String[] {"414", "GET /v1/status?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"},
        new String[] {"431", "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Filler: " + "b".repeat(9000) + "\r\n\r\n"},
        new String[] {"400", "GET /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n"});
    long refused = refusedOverHttp("malformed_request");
    for (String[] c : cases) {
      try (Socket s = new Socket("127.0.0.1", httpPort)) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write((c[1] + follow).getBytes(StandardCharsets.US_ASCII));
        String answer = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8); // to the close
        // a request line that could not be read is answered in HTTP/1.0, as Netty then knows no version
        assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + c[0] + " .*"), c[0] + ": " + answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), c[0] + ": " + answer);
        assertTrue(answer.contains("\"status\":" + c[0]), c[0] + ": " + answer);
        assertEquals(1, answer.split("HTTP/1\\.[01] ", -1).length - 1, "nothing after it was read as a request: " + answer);
      }
    }
    assertEquals(refused + cases.size(), refusedOverHttp("malformed_request"));
  }

  private static long refusedOverHttp(String reason) {
    return node.status().toJson().getJsonObject("security").getJsonObject("http").getJsonObject("refused")
        .getLong(reason, 0L);
  }

  private static byte[] readAll(InputStream in) throws java.io.IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }
}
