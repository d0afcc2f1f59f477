package org.csp.edge.console;

import static org.csp.edge.console.ConsoleBrowserTest.PHONE_HEIGHT;
import static org.csp.edge.console.ConsoleBrowserTest.PHONE_WIDTH;
import static org.csp.edge.console.ConsoleBrowserTest.assertNoHorizontalScroll;
import static org.csp.edge.console.ConsoleBrowserTest.cells;
import static org.csp.edge.console.ConsoleBrowserTest.focusById;
import static org.csp.edge.console.ConsoleBrowserTest.signIn;
import static org.csp.edge.console.ConsoleBrowserTest.tabThrough;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Analysis and Control pages in a real browser against a real node whose upstream is a real Mosquitto read as
 * the DSP reads it: a silence created in the page holds the next matching alerts (the DSP gets a summary with
 * reason silenced and the silence's id; the page shows what it held); a policy change made in the page shows its
 * diff, a refused one its problem next to the document, a preview its figures; the client role gets no control
 * that changes the node; the analysis shows the reports' rows after traffic; keyboard and phone width; no console
 * error. Screenshots with -Dconsole.screenshots=src/docs/console.
 */
class ConsolePagesBrowserTest {
  private static final String PREFIX = "dsp/north/";
  private static final String SILENCED_HUB = "00-1B-C5-0C-00-00-70-01";
  private static final int SILENCED_ALERTS = 12;
  private static Mosquitto broker;
  private static Node node;
  private static Vertx vertx;
  private static String clientToken;
  private static String adminToken;
  private static String url;
  private final AtomicLong counter = new AtomicLong(System.currentTimeMillis() % 1_000_000);

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    broker = new Mosquitto().start();
    vertx = Vertx.vertx();
    clientToken = HttpTokens.newToken();
    adminToken = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("viewer:client:" + HttpTokens.digest(clientToken), "ops:admin:" + HttpTokens.digest(adminToken)));
    JsonObject config = TestNodes.config(broker.url());
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    config.put("rollups", new JsonObject().put("flushInterval", "200ms"));
    config.put("silences", new JsonObject().put("syncInterval", "200ms"));
    config.getJsonObject("policy").put("inhibitions", new JsonArray().add(new JsonObject().put("name", "hub-reboot")
        .put("sourceCodes", new JsonArray().add("8F35")).put("targetCodes", new JsonArray().add("8183"))
        .put("scope", "hub").put("duration", "10m")));
    node = TestNodes.start(config);
    url = "http://127.0.0.1:" + node.httpPort() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (broker != null) broker.close();
  }

  @Test
  void aSilenceCreatedInThePageHoldsTheNextMatchingAlerts() throws Exception {
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), PREFIX + "#");
        Browser b = new Browser(1280, 1600)) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      openPage(b, adminToken, "control");
      // Typed and submitted with Enter, as a keyboard user does.
      focusById(b, "silence-hubId");
      new Actions(b.driver).sendKeys(SILENCED_HUB).perform();
      focusById(b, "silence-comment");
      new Actions(b.driver).sendKeys("engineer on site").sendKeys(Keys.ENTER).perform();
      b.waiting().withMessage(() -> "the silence in the list: " + cells(b, "#silence-list tbody tr"))
          .until(d -> cells(b, "#silence-list tbody tr").stream().anyMatch(r -> r.contains("hubId=" + SILENCED_HUB) && r.contains("active")));
      JsonObject silence = http("GET", "/v1/silences", null, 200).getJsonArray("silences").stream().map(o -> (JsonObject) o)
          .filter(s -> SILENCED_HUB.equals(s.getJsonObject("matchers").getString("hubId"))).findFirst().orElseThrow();
      String id = silence.getString("id");
      assertEquals("ops", silence.getString("createdBy"), "created as the signed-in admin");
      assertEquals("engineer on site", silence.getString("comment"));

      JsonArray batch = new JsonArray();
      for (int i = 0; i < SILENCED_ALERTS; i++) batch.add(alert(SILENCED_HUB, i % 3, "8F1C", "E1"));
      http("POST", "/v1/alerts", batch, 200);
      Await.until(() -> silencedSummaries(dsp, id).stream().mapToLong(s -> s.getLong("count")).sum() == SILENCED_ALERTS,
          Duration.ofSeconds(30), () -> "feed: " + dsp.all());
      assertTrue(dsp.all().stream().noneMatch(e -> "alert".equals(e.getString("type")) && SILENCED_HUB.equals(e.getString("hubId"))),
          "no held alert forwarded singly: " + dsp.all());

      // The page reads the list again on its own: what the silence held shows.
      b.waiting().withMessage(() -> "held shown: " + cells(b, "#silence-list tbody tr")).until(d -> Long.toString(SILENCED_ALERTS)
          .equals(b.script("const e = document.querySelector(arguments[0]); return e && e.getAttribute('value')", "data[data-silence='" + id + "']")));
      b.script("document.getElementById('silences').scrollIntoView()");
      b.screenshot("control");
      assertEquals(List.of(), b.consoleErrors(), "the control page and its changes run clean");

      // The live page's equation has a term for what silences held, and its terms add up to what was received.
      b.open(url + "#/live");
      b.waiting().withMessage(() -> "the live equation: " + liveTerms(b)).until(d -> {
        Map<String, Long> terms = liveTerms(b);
        long held = terms.getOrDefault("silenced", -1L);
        long outcomes = terms.entrySet().stream().filter(t -> !t.getKey().equals("received")).mapToLong(Map.Entry::getValue).sum();
        return held >= SILENCED_ALERTS && terms.containsKey("inhibited") && outcomes == terms.getOrDefault("received", -1L);
      });
      b.open(url + "#/control");
      b.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#silence-list button.expire[data-id='" + id + "']")));

      b.find("#silence-list button.expire[data-id='" + id + "']").click();
      b.waiting().until(d -> cells(b, "#silence-list tbody tr").stream().anyMatch(r -> r.contains("hubId=" + SILENCED_HUB) && r.contains("expired")));
      JsonObject expired = http("GET", "/v1/silences", null, 200).getJsonArray("silences").stream().map(o -> (JsonObject) o)
          .filter(s -> id.equals(s.getString("id"))).findFirst().orElseThrow();
      assertEquals("expired", expired.getString("status"));
      assertEquals("ops", expired.getString("expiredBy"));
    }
  }

  @Test
  void aPolicyChangeMadeInThePageShowsItsDiffAndARefusalNamesTheSetting() throws Exception {
    try (Browser b = new Browser(1280, 1600)) {
      openPage(b, adminToken, "control");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("inhibitions"), "hub-reboot"));
      int before = http("GET", "/v1/policy", null, 200).getInteger("version");
      long threshold = http("GET", "/v1/policy", null, 200).getJsonObject("defaults").getLong("stormThreshold");

      // A refused document: the problem is shown next to the document, naming the setting; nothing applied.
      editPolicy(b, "p.defaults.stormThreshold = -1;");
      b.find("#policy-apply").click();
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("policy-document-error"), "defaults.stormThreshold"));
      assertEquals("true", b.find("#policy-document").getAttribute("aria-invalid"));
      assertEquals(before, http("GET", "/v1/policy", null, 200).getInteger("version"), "nothing applied");

      // A preview of a valid change, then the change itself with its diff.
      editPolicy(b, "p.defaults.stormThreshold = " + (threshold + 3) + ";");
      b.find("#policy-preview").click();
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("policy-result"), "Verdicts now and with the proposed policy"));
      focusById(b, "policy-comment");
      new Actions(b.driver).sendKeys("fewer storms on small hubs").sendKeys(Keys.ENTER).perform();
      String diff = "defaults.stormThreshold " + threshold + " " + (threshold + 3);
      b.waiting().withMessage(() -> "the diff: " + cells(b, "#policy-result tbody tr"))
          .until(d -> cells(b, "#policy-result tbody tr").contains(diff));
      assertEquals(before + 1, http("GET", "/v1/policy", null, 200).getInteger("version"));
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("policy-version"), "Version " + (before + 1)));
      assertTrue(cells(b, "#version-" + (before + 1) + " tbody tr").contains(diff), "the history shows the version's diff");
      assertEquals("", b.find("#policy-document-error").getText(), "the earlier problem is cleared");
      b.script("window.scrollTo(0, 0)");
      b.screenshot("control-policy");

      // Restored from the history: the diff goes back.
      b.find("#version-" + before + " details").click();
      b.find("button.rollback[data-version='" + before + "']").click();
      String back = "defaults.stormThreshold " + (threshold + 3) + " " + threshold;
      b.waiting().until(d -> cells(b, "#policy-result tbody tr").contains(back));
      assertEquals(threshold, http("GET", "/v1/policy", null, 200).getJsonObject("defaults").getLong("stormThreshold"));
      // The refusal's 400 is the only message the browser logged.
      assertEquals(List.of(), b.consoleErrors().stream().filter(m -> !m.contains("/v1/policy - Failed to load resource: the server"
          + " responded with a status of 400")).toList());
    }
  }

  @Test
  void theClientRoleReadsButGetsNoControlThatChangesTheNode() throws Exception {
    try (Browser b = new Browser(1280, 1200)) {
      openPage(b, clientToken, "control");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
      assertTrue(b.find("#read-only").isDisplayed(), "says why there is nothing to change");
      assertTrue(b.all("#silence-form").isEmpty() && b.all("#policy-apply").isEmpty() && b.all("#policy-preview").isEmpty()
          && b.all("button.rollback").isEmpty() && b.all("button.expire").isEmpty(), "no control that changes the node");
      assertEquals("true", b.find("#policy-document").getAttribute("readonly"));
      assertTrue(b.find("#policy-document").getAttribute("value").contains("\"defaults\""), "the policy is shown");
      assertEquals(List.of(), b.consoleErrors());
    }
  }

  private static boolean trafficSent;

  /** Alerts of two codes and three device models, sent once (both analysis tests look at them), in the reports. */
  private void analysisTraffic() throws Exception {
    if (trafficSent) return;
    trafficSent = true;
    JsonArray batch = new JsonArray();
    for (int h = 0; h < 4; h++) {
      for (int i = 0; i < 8; i++) batch.add(alert(String.format("00-1B-C5-0C-00-00-71-%02X", h), i % 2, "8F3E", h < 2 ? "GPF-1" : "GPF-2"));
    }
    batch.add(alert("00-1B-C5-0C-00-00-72-01", 0, "8D01", "E1"));
    // Two models whose fields would read alike joined by spaces: "Acme Co X 1.0".
    batch.add(alert("00-1B-C5-0C-00-00-73-01", 0, "1E02", "Acme Co", "X"));
    batch.add(alert("00-1B-C5-0C-00-00-73-02", 0, "1E02", "Acme", "Co X"));
    http("POST", "/v1/alerts", batch, 200);
    Await.until(() -> codeCount("8F3E") >= 32 && codeCount("8D01") >= 1 && codeCount("1E02") >= 2, Duration.ofSeconds(30), () -> "reports not there yet");
  }

  @Test
  void theAnalysisShowsTheReportsRowsAfterTraffic() throws Exception {
    analysisTraffic();

    try (Browser b = new Browser(1280, 1800)) {
      openPage(b, clientToken, "analysis");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("analysis-state"), "Last 24 hours"));
      List<String> codes = cells(b, "#by-code tbody tr");
      assertTrue(codes.stream().anyMatch(r -> r.startsWith("8F3E " + format(codeCount("8F3E")))), "by code: " + codes);
      assertTrue(codes.stream().anyMatch(r -> r.startsWith("8D01 ")), "by code: " + codes);
      List<String> models = cells(b, "#by-model tbody tr");
      assertTrue(models.stream().anyMatch(r -> r.startsWith("Acme · GPF-1 · 1.0 ")), "by model: " + models);
      assertTrue(models.stream().anyMatch(r -> r.startsWith("\"Acme Co\" · X · 1.0 1 "))
          && models.stream().anyMatch(r -> r.startsWith("Acme · \"Co X\" · 1.0 1 ")), "two models apart, one alert each: " + models);
      assertTrue(cells(b, "#by-outcome tbody tr").stream().anyMatch(r -> r.startsWith("consolidated ")), "by outcome: " + cells(b, "#by-outcome tbody tr"));
      assertTrue(b.all("#by-code svg.bars rect").size() > 0, "a chart is drawn");
      assertTrue(cells(b, "#combined tbody tr").stream().anyMatch(r -> r.startsWith("8F3E Acme · GPF-2 · 1.0 ")), "combined: " + cells(b, "#combined tbody tr"));
      b.waiting().until(d -> !b.all("#top-body tbody tr").isEmpty());
      assertTrue(cells(b, "#top-body tbody tr").get(0).matches("00-1B-C5-0C-00-00-7[0-2]-0[0-3] .*"), "top hubs: " + cells(b, "#top-body tbody tr"));
      assertTrue(b.find("#top-bounds").getText().matches("(Exact counts|Estimates).*"), b.find("#top-bounds").getText());

      // The register: its table when the node has one, a clear state when the route answers 404.
      int register = status("/v1/register/dmcs");
      if (register == 404) {
        b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("register"), "Register not available"));
      } else {
        assertEquals(200, register);
        b.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("register-method")));
      }

      // Keyboard: tab reaches the filters; a code typed and Enter pressed narrows every chart to it.
      // (Tab goes round: from where the last focus was, through the page, the browser, and the page again.)
      String order = String.join(",", tabThrough(b, 12));
      assertTrue(order.contains("skip,nav-live,nav-analysis,nav-control") && order.contains("analysis-range,analysis-code,"
          + "analysis-show,top-of,top-show"), "tab reaches the navigation, the filters and the ranking: " + order);
      focusById(b, "analysis-code");
      new Actions(b.driver).sendKeys("8d01").sendKeys(Keys.ENTER).perform();
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("analysis-state"), "code 8D01"));
      assertEquals(List.of("8D01 1 100 %"), cells(b, "#by-code tbody tr"));
      retype(b, "analysis-code", "zz");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("analysis-code-error"), "4 hex digits"));
      retype(b, "analysis-code", "");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("analysis-state"), "Last 24 hours ·"));
      b.waiting().until(d -> cells(b, "#by-code tbody tr").size() >= 2);
      b.script("window.scrollTo(0, 0)");
      b.screenshot("analysis");
      assertEquals(List.of(), b.consoleErrors().stream().filter(ConsolePagesBrowserTest::notExpected).toList());
    }
  }

  @Test
  void bothPagesFitAPhoneWithoutHorizontalScroll() throws Exception {
    analysisTraffic();
    try (Browser b = new Browser(PHONE_WIDTH, PHONE_HEIGHT)) {
      openPage(b, adminToken, "analysis");
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("analysis-state"), "Last 24 hours"));
      assertNoHorizontalScroll(b);
      b.script("window.scrollTo(0, 0)");
      b.screenshot("analysis-phone");
      b.find("#nav-control").click();
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
      assertNoHorizontalScroll(b);
      b.script("window.scrollTo(0, 0)");
      b.screenshot("control-phone");
      assertEquals(List.of(), b.consoleErrors().stream().filter(ConsolePagesBrowserTest::notExpected).toList());
    }
  }

  /**
   * The messages a page may log: the register's 404 while the node has no register (the page says so), and the
   * 400 of the bad alert code the test typed (shown next to the field).
   */
  private static boolean notExpected(String message) {
    return !message.contains("/v1/register/dmcs - Failed to load resource: the server responded with a status of 404")
        && !(message.contains("alertCode=zz") && message.contains("the server responded with a status of 400"));
  }

  private static void openPage(Browser b, String token, String page) {
    b.open(url + "#/" + page);
    signIn(b, token);
    b.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("page-" + page)));
    if (page.equals("control")) {
      b.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("control-state"), "Up to date"));
    }
  }

  /** Empties a field, then types {@code text} into it and presses Enter, as a keyboard user does. */
  private static void retype(Browser b, String id, String text) {
    b.script("document.getElementById(arguments[0]).value = ''", id);
    focusById(b, id);
    new Actions(b.driver).sendKeys(text).sendKeys(Keys.ENTER).perform();
  }

  /** Changes the document in the page's editor: {@code js} edits p, the parsed document. */
  private static void editPolicy(Browser b, String js) {
    b.script("const t = document.getElementById('policy-document'); const p = JSON.parse(t.value); " + js
        + " t.value = JSON.stringify(p, null, 2);");
  }

  /** The live page's accounting terms, by name, as shown (each a data element with its value). */
  @SuppressWarnings("unchecked")
  private static Map<String, Long> liveTerms(Browser b) {
    Map<String, Object> shown = (Map<String, Object>) b.script("const out = {}; document.querySelectorAll('#accounting data[data-term]')"
        + ".forEach((e) => { out[e.dataset.term] = e.getAttribute('value'); }); return out;");
    Map<String, Long> terms = new java.util.TreeMap<>();
    if (shown != null) shown.forEach((k, v) -> terms.put(k, Long.parseLong(String.valueOf(v))));
    return terms;
  }

  private static List<JsonObject> silencedSummaries(DspFeed dsp, String id) {
    return dsp.all().stream().filter(e -> "summary".equals(e.getString("type")) && "silenced".equals(e.getString("reason"))
        && id.equals(e.getString("silenceId"))).toList();
  }

  private static long codeCount(String code) {
    try {
      JsonArray rows = http("GET", "/v1/reports/alerts?by=alertCode&alertCode=" + code, null, 200).getJsonArray("rows");
      return rows.stream().mapToLong(r -> ((JsonObject) r).getLong("count")).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String format(long n) {
    return String.format(java.util.Locale.UK, "%,d", n);
  }

  private JsonObject alert(String hub, int device, String code, String model) {
    return alert(hub, device, code, "Acme", model);
  }

  private JsonObject alert(String hub, int device, String code, String manufacturer, String model) {
    return new JsonObject().put("hubId", hub).put("deviceId", hub.substring(0, hub.length() - 2) + String.format("%02X", 0x80 + device))
        .put("deviceType", "ESME").put("alertCode", code).put("originatorCounter", counter.incrementAndGet())
        .put("raisedAt", Instant.now().toString())
        .put("dmc", new JsonObject().put("manufacturer", manufacturer).put("model", model).put("firmware", "1.0"));
  }

  private static int status(String path) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Authorization", "Bearer " + clientToken).timeout(Duration.ofSeconds(10)).GET().build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static JsonObject http(String method, String path, Object body, int expected) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(10));
    String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : null;
    r = text == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
    return new JsonObject(answer.body());
  }
}
