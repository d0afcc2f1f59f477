package org.csp.edge.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node that is there but answers late (a report over many models) is said to be busy, with the option that waits
 * longer; before, the command said it could not reach the node, as if it were down.
 */
class ApiClientTimeoutTest {
  @Test
  void aLateAnswerIsNotAnUnreachableNode() throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext("/", exchange -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    slow.start();
    try {
      ApiClient client = new ApiClient("http://127.0.0.1:" + slow.getAddress().getPort(), "t", null, Duration.ofMillis(300));
      ApiClient.Refused late = assertThrows(ApiClient.Refused.class, () -> client.get("/v1/reports/alerts"));
      assertTrue(late.getMessage().contains("did not answer within 300 ms: it may be busy")
          && late.getMessage().contains("--timeout PT60S") && !late.getMessage().contains("cannot reach"), late.getMessage());
    } finally {
      slow.stop(0);
    }
  }
}
