package org.csp.edge.console;

import static org.csp.edge.console.ConsoleBrowserTest.cells;
import static org.csp.edge.console.ConsoleBrowserTest.signIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.support.Await;
import org.csp.edge.support.MetricsScrape;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console where operators are easily misled: a page left before it loaded keeps no stream running (nor after
 * signing out); the control page says when the node stops answering, instead of showing an old list as current; and
 * text an operator or a device chose cannot turn the console's own words around it (bidirectional controls).
 */
class ConsoleEdgesBrowserTest {
  private static Node node;
  private static String adminToken;
  private static String url;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    adminToken = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("ops:admin:" + HttpTokens.digest(adminToken)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    node = TestNodes.start(config);
    url = "http://127.0.0.1:" + node.httpPort() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  @Test
  void aPageLeftWhileItLoadsKeepsNoStreamAndSigningOutEndsEverything() throws Exception {
    try (Browser b = new Browser(1280, 900)) {
      b.open(url + "#/analysis");
      signIn(b, adminToken);
      b.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("page-analysis")));
      // Live, then Control at once: the live page's module is still loading (its first visit) when Control is asked.
      b.script("location.hash = '#/live'; setTimeout(() => { location.hash = '#/control'; }, 0);");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
      // Long enough for a stream started by the live page to be counted (it connects within a second of loading).
      Thread.sleep(2000);
      assertTrue(b.all("#page-live").isEmpty(), "the live page is not shown");
      assertEquals(0, metric("csp_console_live_subscribers"), "no live stream open while the control page is shown");

      b.open(url + "#/live");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-state"), "Live ·"));
      Await.until(() -> metric("csp_console_live_subscribers") == 1, Duration.ofSeconds(10), () -> "the live page streams");
      b.find("#sign-out").click();
      Await.until(() -> metric("csp_console_live_subscribers") == 0, Duration.ofSeconds(10),
          () -> "streams left after signing out: " + metric("csp_console_live_subscribers"));
    }
  }

  @Test
  void theControlPageSaysWhenTheNodeCannotBeReadAndWhenItCanAgain() throws Exception {
    try (Browser b = new Browser(1280, 900)) {
      b.open(url + "#/control");
      signIn(b, adminToken);
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
      // The node stops answering this page's reads (as when it is down or the network is cut): its refresh fails.
      b.driver.executeCdpCommand("Network.enable", Map.of());
      b.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/v1/silences*")));
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "could not be read"));
      assertTrue(b.find("#control-state").getAttribute("class").contains("bad"), "shown as a problem");
      assertTrue(b.find("#control-state").getText().contains("what is shown was read before"), b.find("#control-state").getText());

      b.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
    }
  }

  @Test
  void bidirectionalControlsInDataAreShownNotApplied() throws Exception {
    String rlo = "\u202E";
    String hub = "00-1B-C5-0C-00-00-7E-01";
    JsonObject silence = http("POST", "/v1/silences", new JsonObject()
        .put("matchers", new JsonObject().put("hubId", hub))
        .put("endsAt", Instant.now().plus(Duration.ofHours(1)).toString())
        .put("comment", "CR-1 " + rlo + "from the field"), 201);
    try (Browser b = new Browser(1280, 1200)) {
      b.open(url + "#/control");
      signIn(b, adminToken);
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
      b.waiting().withMessage(() -> "the silence listed: " + cells(b, "#silence-list tbody tr"))
          .until(d -> cells(b, "#silence-list tbody tr").stream().anyMatch(r -> r.contains("CR-1 <U+202E>from the field")));
      String text = (String) b.script("return document.body.innerText");
      assertFalse(text.contains(rlo), "no bidirectional control is applied anywhere on the page");
    } finally {
      http("DELETE", "/v1/silences/" + silence.getString("id"), null, 200);
    }
  }

  private static double metric(String name) {
    try {
      return MetricsScrape.value(node.httpPort(), adminToken, name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject http(String method, String path, JsonObject body, int expected) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url.substring(0, url.length() - 1) + path))
        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(10));
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
    return answer.body().isBlank() ? new JsonObject() : new JsonObject(answer.body());
  }
}
