package org.csp.edge.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.sim.TransportKind;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console in a real browser (Debian's headless Chromium, see {@link Browser}), served by a real node: it loads
 * without a console error under its Content-Security-Policy; a bad token is refused on the page and a good one
 * shows the live page with the caller's role; a storm sent by the simulator shows on the live page (its code, its
 * hub at the top, the accounting terms as /v1/status has them); it is usable with the keyboard and at a phone's
 * width. Screenshots with -Dconsole.screenshots=src/docs/console.
 */
class ConsoleBrowserTest {
  static final int PHONE_WIDTH = 390;
  static final int PHONE_HEIGHT = 844;
  private static Node node;
  private static Vertx vertx;
  private static String clientToken;
  private static String adminToken;
  private static String url;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    clientToken = HttpTokens.newToken();
    adminToken = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("viewer:client:" + HttpTokens.digest(clientToken), "ops:admin:" + HttpTokens.digest(adminToken)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    config.put("console", new JsonObject().put("liveInterval", "500ms"));
    // Storms stay open while the page is looked at: they end only after a minute without alerts.
    config.getJsonObject("policy").getJsonObject("defaults").put("quietPeriod", "60s");
    node = TestNodes.start(config);
    vertx = Vertx.vertx();
    url = "http://127.0.0.1:" + node.httpPort() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  @Test
  void loadsWithoutConsoleErrors() throws Exception {
    try (Browser b = new Browser(1280, 900)) {
      b.open(url);
      b.waiting().until(ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("sign-in")));
      b.screenshot("sign-in");
      assertEquals(List.of(), b.consoleErrors(), "the sign-in page loads clean");
      signIn(b, clientToken);
      awaitLive(b);
      assertEquals(List.of(), b.consoleErrors(), "the live page loads and streams clean");
    }
  }

  @Test
  void aBadTokenIsRefusedAndAGoodOneShowsTheLivePageAndTheRole() throws Exception {
    try (Browser b = new Browser(1280, 900)) {
      b.open(url);
      signIn(b, "not-a-token");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(org.openqa.selenium.By.id("sign-in-error"), "did not accept"));
      assertTrue(b.find("#sign-in").isDisplayed(), "still on the sign-in");
      assertTrue(b.all("#page-live").isEmpty(), "no data shown");
      assertEquals(null, b.script("return sessionStorage.getItem('csp-edge-token')"), "a refused token is not kept");

      signIn(b, clientToken);
      awaitLive(b);
      assertEquals("client", b.find("#who-role").getText());
      assertEquals("viewer", b.find("#who-name").getText());
      assertTrue(!b.find("#sign-in").isDisplayed(), "the sign-in is gone");

      b.find("#sign-out").click();
      b.waiting().until(ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("sign-in")));
      signIn(b, adminToken);
      awaitLive(b);
      assertEquals("admin", b.find("#who-role").getText());
    }
  }

  @Test
  void aStormFromTheSimulatorShowsOnTheLivePage() throws Exception {
    try (Browser b = new Browser(1280, 1400)) {
      b.open(url);
      signIn(b, adminToken);
      awaitLive(b);
      SimOptions options = SimOptions.builder().transport(TransportKind.MQTT).host("127.0.0.1")
          .mqttPort(node.config().mqttPort()).scenario("gpf-8f3e").scale(0.5).seed(21).quiet(true).build();
      SimReport sent = new StormSimulator().run(vertx, options).toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
      Await.until(() -> node.status().toJson().getLong("inProgress") == 0 && node.status().toJson().getLong("received") == sent.alertsSent(),
          Duration.ofSeconds(60), () -> node.status().toJson().encode());
      JsonObject status = node.status().toJson();

      // The page shows the counts of its last update: wait for the one after the storm's last alert.
      String storm = "8F3E 1 " + format(status.getLong("consolidated"));
      b.waiting().withMessage(() -> "the storm by code, one hub with every alert it consolidated: " + storm + "; shown: "
          + cells(b, "#storms tbody tr")).until(d -> cells(b, "#storms tbody tr").equals(List.of(storm)));
      String topHub = "[0-9A-F]{2}(-[0-9A-F]{2}){7} " + format(status.getLong("consolidated")) + " 8F3E";
      b.waiting().withMessage(() -> "the storming hub at the top, with every alert consolidated in its storm: "
          + cells(b, "#top-hubs tbody tr")).until(d -> cells(b, "#top-hubs tbody tr").stream().findFirst().orElse("").matches(topHub));

      for (String term : List.of("received", "forwarded", "consolidated", "grouped", "duplicates", "rejected", "inProgress")) {
        b.waiting().until(d -> Long.toString(status.getLong(term)).equals(
            b.script("const e = document.querySelector(arguments[0]); return e && e.getAttribute('value')", "#accounting data[data-term=" + term + "]")));
      }
      b.screenshot("live");
      b.resize(PHONE_WIDTH, PHONE_HEIGHT);
      assertNoHorizontalScroll(b);
      b.screenshot("live-phone");
      assertEquals(List.of(), b.consoleErrors(), "no error in a storm");
    }
  }

  @Test
  void usableWithTheKeyboardAndFocusVisible() throws Exception {
    try (Browser b = new Browser(1280, 900)) {
      b.open(url);
      b.waiting().until(ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("token")));
      List<String> order = tabThrough(b, 6);
      assertTrue(String.join(",", order).contains("skip,token,sign-in-button"),
          "tab reaches the skip link, the token, then the sign-in button: " + order);
      // Typed, not clicked: the sign-in works from the keyboard alone.
      b.script("document.activeElement.blur()");
      focusById(b, "token");
      new Actions(b.driver).sendKeys(adminToken).sendKeys(Keys.ENTER).perform();
      awaitLive(b);
      List<String> signedIn = tabThrough(b, 8);
      assertTrue(String.join(",", signedIn).contains("skip,nav-live,nav-analysis,nav-control,sign-out"),
          "tab reaches the skip link, every page of the navigation, then the sign-out: " + signedIn);
    }
  }

  @Test
  void fitsAPhoneWithoutHorizontalScroll() throws Exception {
    try (Browser b = new Browser(PHONE_WIDTH, PHONE_HEIGHT)) {
      b.open(url);
      b.waiting().until(ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("token")));
      assertNoHorizontalScroll(b);
      signIn(b, clientToken);
      awaitLive(b);
      assertNoHorizontalScroll(b);
      assertTrue(b.find("#nav-live").isDisplayed(), "the navigation shows on a phone");
      assertEquals(List.of(), b.consoleErrors());
    }
  }

  static void signIn(Browser b, String token) {
    b.waiting().until(ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("token")));
    WebElement input = b.find("#token");
    input.clear();
    input.sendKeys(token);
    b.find("#sign-in-button").click();
  }

  private static void awaitLive(Browser b) {
    b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(org.openqa.selenium.By.id("live-state"), "Live ·"));
  }

  /** Each row's cells' texts, joined by a space, read at once (the live page redraws its tables on every update). */
  @SuppressWarnings("unchecked")
  static List<String> cells(Browser b, String rows) {
    return (List<String>) b.script("return Array.from(document.querySelectorAll(arguments[0]))"
        + ".map(r => Array.from(r.querySelectorAll('td')).map(c => c.textContent.trim()).join(' '))", rows);
  }

  private static String format(long n) {
    return String.format(java.util.Locale.UK, "%,d", n);
  }

  /** Presses Tab {@code presses} times from the top of the page: the ids focused, each with its focus drawn. */
  static List<String> tabThrough(Browser b, int presses) {
    b.script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < presses; i++) {
      new Actions(b.driver).sendKeys(Keys.TAB).perform();
      String id = (String) b.script("const e = document.activeElement; return e ? (e.id || e.className || e.tagName) : null");
      ids.add(id);
      if ("BODY".equals(id)) continue; // past the last control: the browser's own UI, then the page again
      String outline = (String) b.script("const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth");
      assertTrue(!outline.startsWith("none") && !outline.endsWith(" 0px"), "focus is visible on " + id + ": outline " + outline);
    }
    return ids;
  }

  static void focusById(Browser b, String id) {
    b.script("document.getElementById(arguments[0]).focus()", id);
  }

  static void assertNoHorizontalScroll(Browser b) {
    Number scroll = (Number) b.script("return document.documentElement.scrollWidth");
    Number width = (Number) b.script("return document.documentElement.clientWidth");
    assertTrue(scroll.longValue() <= width.longValue(), "no horizontal scroll: content " + scroll + " px in " + width + " px");
  }
}
