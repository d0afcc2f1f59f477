package org.csp.edge.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.support.Await;
import org.csp.edge.support.LogCapture;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.PostgresProcess;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node fed traffic from 31 device models, one of whose devices storm five times as often as the others': the
 * register flags that model on that code, and no other, within the run; an admin's annotation of it is audited,
 * shows on the entry, and is still there after the node restarts; the figures cannot be edited. On the embedded
 * store (H2 in the data directory) and on a private PostgreSQL.
 */
class RegisterEndToEndTest {
  @RegisterExtension
  static final UpstreamBroker upstream = new UpstreamBroker();
  private static final String CODE = "8F3E";
  private static final JsonObject STORMY = new JsonObject().put("manufacturer", "Acme").put("model", "GSME-9").put("firmware", "1.0.7");
  private static final int MODELS = 30;
  private static final int DEVICES = 40;
  private static final int STORMY_DEVICES = 100;
  /** 30 of 100 devices of the stormy model storm; 2 or 3 of 40 (5 to 7.5 %) of every other model's. */
  private static final int STORMY_STORMERS = 30;
  /** A storm: more alerts of the code in a row than the storm threshold (5 in 10 s). */
  private static final int STORM_ALERTS = 10;
  /** All the stormy model's alerts: one from each quiet device, a storm from each of the others. */
  private static final int STORMY_ALERTS = STORMY_DEVICES - STORMY_STORMERS + STORMY_STORMERS * STORM_ALERTS;
  private static LogCapture audit;
  private static Vertx vertx;
  private static OneContextHttpClient http;
  private static PostgresProcess postgres;

  private record Answer(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = new OneContextHttpClient(vertx);
    audit = LogCapture.named("csp.audit");
  }

  @AfterAll
  static void stop() throws Exception {
    audit.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (postgres != null) postgres.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "postgresql"})
  void aModelStormingFiveTimesAsOftenIsFlaggedAndNoOtherAndItsAnnotationSurvivesARestart(String store, @TempDir Path dir)
      throws Exception {
    String admin = HttpTokens.newToken();
    String reader = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("oncall:admin:" + HttpTokens.digest(admin), "viewer:client:" + HttpTokens.digest(reader)));
    JsonObject config = TestNodes.config(upstream.broker().url())
        .put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())))
        .put("rollups", rollups(store, dir))
        .put("register", new JsonObject().put("recomputeEvery", "1s"));
    // Every model's traffic arrives at once: no regional burst, so each device's storm is its hub's (consolidated).
    config.getJsonObject("policy").getJsonObject("defaults").put("regionalThreshold", 1_000_000);
    Node node = TestNodes.start(config);
    int sent;
    try {
      int port = node.httpPort();
      sent = sendTraffic(port, reader);
      JsonObject[] flagged = new JsonObject[1];
      Await.until(() -> {
        Answer a = call(port, HttpMethod.GET, "/v1/register/dmcs", reader, null);
        if (a.status() != 200) return false;
        JsonObject e = entry(a.json(), STORMY, CODE);
        // Judged on all of the model's alerts: the register may flag it earlier, while the rollups still come in.
        if (e == null || e.getString("status").equals("none") || e.getLong("alerts") < STORMY_ALERTS) return false;
        flagged[0] = a.json();
        return true;
      }, Duration.ofSeconds(60), () -> "register: " + call(port, HttpMethod.GET, "/v1/register/dmcs", reader, null).body());
      assertEquals(sent, node.status().toJson().getLong("received"), "the node took every alert");

      JsonObject register = flagged[0];
      JsonObject method = register.getJsonObject("method");
      assertEquals("benjamini-hochberg", method.getString("correction"));
      assertEquals(0.01, method.getJsonObject("falseDiscoveryRate").getDouble("suspected"));
      assertEquals(0.001, method.getJsonObject("falseDiscoveryRate").getDouble("confirmed"));
      assertTrue(method.getString("test").contains("fisher"), method.encode());
      Instant from = Instant.parse(register.getJsonObject("window").getString("from"));
      Instant to = Instant.parse(register.getJsonObject("window").getString("to"));
      assertTrue(!from.isAfter(Instant.now().minus(Duration.ofHours(23))) && to.isAfter(Instant.now().minusSeconds(60)),
          "the window is the last 24 hours, the current one included: " + register.getJsonObject("window"));

      JsonArray entries = register.getJsonArray("entries");
      List<String> flags = new ArrayList<>();
      for (Object o : entries) {
        JsonObject e = (JsonObject) o;
        if (!e.getString("status").equals("none")) flags.add(e.getValue("dmc") + " " + e.getString("alertCode"));
      }
      assertEquals(List.of(STORMY + " " + CODE), flags, "only the stormy model is flagged: " + entries.encodePrettily());
      JsonObject stormy = entries.getJsonObject(0);
      assertEquals(STORMY, stormy.getJsonObject("dmc"), "flagged entries come first");
      assertEquals(STORMY_DEVICES, stormy.getLong("devicesSeen"), 3, stormy.encodePrettily());
      assertEquals(STORMY_STORMERS, stormy.getLong("devicesStormed"), 2, stormy.encodePrettily());
      assertEquals(STORMY_ALERTS, stormy.getLong("alerts"));
      JsonObject evidence = stormy.getJsonObject("evidence");
      assertTrue(evidence.getDouble("adjustedPValue") <= 0.01, evidence.encode());
      assertTrue(evidence.getDouble("pValue") <= evidence.getDouble("adjustedPValue"), evidence.encode());
      assertTrue(evidence.getDouble("rateRatio") > 3 && evidence.getDouble("rateRatioLowerBound") >= 2, evidence.encode());
      assertEquals(register.getJsonObject("window"), evidence.getJsonObject("period"));

      // Filters, and parameters that are not valid.
      assertEquals(1, call(port, HttpMethod.GET, "/v1/register/dmcs?status=" + stormy.getString("status") + "&alertCode=8f3e",
          reader, null).json().getJsonArray("entries").size());
      assertEquals(0, call(port, HttpMethod.GET, "/v1/register/dmcs?alertCode=8F35", reader, null).json()
          .getJsonArray("entries").size());
      // Bounded: at most limit entries in the register's order, with how many there are (a model per device could
      // otherwise make one answer larger than the heap: it did, with 40,961 entries in 320 MiB).
      JsonObject first = call(port, HttpMethod.GET, "/v1/register/dmcs?limit=1", reader, null).json();
      assertEquals(1, first.getJsonArray("entries").size());
      assertEquals(STORMY, first.getJsonArray("entries").getJsonObject(0).getJsonObject("dmc"), "the flagged one first");
      assertEquals(entries.size(), first.getInteger("total"));
      assertTrue(first.getBoolean("truncated"));
      JsonObject flaggedOnly = call(port, HttpMethod.GET, "/v1/register/dmcs?status=suspected,confirmed", reader, null).json();
      assertEquals(1, flaggedOnly.getInteger("total"), flaggedOnly.encode());
      assertEquals(400, call(port, HttpMethod.GET, "/v1/register/dmcs?limit=0", reader, null).status());
      Answer bad = call(port, HttpMethod.GET, "/v1/register/dmcs?status=guilty&alertCode=xyz", reader, null);
      assertEquals(400, bad.status(), bad.body());
      assertEquals("application/problem+json", bad.contentType());
      assertTrue(bad.body().contains("\"status\"") && bad.body().contains("\"alertCode\""), bad.body());

      // The figures are never edited; annotations need an admin and a proper body.
      for (HttpMethod m : List.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
        Answer edit = call(port, m, "/v1/register/dmcs", admin, stormy.copy().put("status", "none").toBuffer());
        assertEquals(405, edit.status(), m + ": " + edit.body());
        assertEquals("application/problem+json", edit.contentType());
      }
      JsonObject note = new JsonObject().put("dmc", STORMY).put("alertCode", CODE).put("text", "Raised with Acme: INC-4711");
      assertEquals(403, call(port, HttpMethod.POST, "/v1/register/dmcs/annotations", reader, note.toBuffer()).status());
      Answer refused = call(port, HttpMethod.POST, "/v1/register/dmcs/annotations", admin, new JsonObject()
          .put("dmc", new JsonObject().put("manufacturer", "Acme")).put("alertCode", "8F3EE").put("text", " ")
          .put("devicesStormed", 0).toBuffer());
      assertEquals(400, refused.status(), refused.body());
      List<String> pointers = new ArrayList<>();
      refused.json().getJsonArray("errors").forEach(e -> pointers.add(((JsonObject) e).getString("pointer")));
      assertEquals(List.of("/alertCode", "/devicesStormed", "/dmc/firmware", "/dmc/model", "/text"),
          pointers.stream().sorted().toList(), refused.body());

      Answer made = call(port, HttpMethod.POST, "/v1/register/dmcs/annotations", admin, note.toBuffer());
      assertEquals(201, made.status(), made.body());
      assertEquals("oncall", made.json().getString("by"));
      List<ILoggingEvent> audited = audit.events();
      assertTrue(audited.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(l -> l.contains("\"register.annotate\"")
          && l.contains("\"oncall\"") && l.contains("INC-4711") && l.contains("GSME-9")), "audited on csp.audit: " + audited);
      Run cli = run(Map.of(ApiClient.ENV_TOKEN, admin), "register", "annotate", "--url", "http://127.0.0.1:" + port,
          "--manufacturer", "Acme", "--model", "GSME-9", "--firmware", "1.0.7", "--alert-code", CODE, "--text", "fix in 1.0.8");
      assertEquals(0, cli.exit(), cli.err());
      JsonObject annotated = entry(call(port, HttpMethod.GET, "/v1/register/dmcs", reader, null).json(), STORMY, CODE);
      assertEquals(2, annotated.getJsonArray("annotations").size(), annotated.encodePrettily());
      assertEquals(stormy.getLong("devicesStormed"), annotated.getLong("devicesStormed"), "figures unchanged");

      Run listed = run(Map.of(), "register", "list", "--url", "http://127.0.0.1:" + port, "--token", reader);
      assertEquals(0, listed.exit(), listed.err());
      assertTrue(listed.out().contains("Acme/GSME-9/1.0.7") && listed.out().contains(stormy.getString("status"))
          && listed.out().contains("INC-4711") && listed.out().contains("oncall"), listed.out());
      assertEquals(2, run(Map.of(), "register", "list", "--url", "http://127.0.0.1:" + port, "--token", reader,
          "--status", "guilty").exit(), "a parameter the node refuses is a usage error");

      String metrics = call(port, HttpMethod.GET, "/metrics", null, null).body();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("csp_register_entries{") && l.contains("status=\""
          + stormy.getString("status") + "\"") && l.endsWith(" 1.0")), metrics.lines()
          .filter(l -> l.contains("csp_register")).toList().toString());
    } finally {
      TestNodes.stop(node);
    }

    Node again = TestNodes.start(config);
    try {
      int port = again.httpPort();
      Await.until(() -> {
        JsonObject e = entry(registerOf(port, reader), STORMY, CODE);
        return e != null && e.getJsonArray("annotations").size() == 2 && !e.getString("status").equals("none");
      }, Duration.ofSeconds(30), () -> "after the restart: " + call(port, HttpMethod.GET, "/v1/register/dmcs", reader, null).body());
      JsonArray notes = entry(call(port, HttpMethod.GET, "/v1/register/dmcs", reader, null).json(), STORMY, CODE)
          .getJsonArray("annotations");
      assertEquals("Raised with Acme: INC-4711", notes.getJsonObject(0).getString("text"));
      assertEquals("oncall", notes.getJsonObject(0).getString("by"));
      assertEquals("fix in 1.0.8", notes.getJsonObject(1).getString("text"));
    } finally {
      TestNodes.stop(again);
    }
  }

  /**
   * The models of devices that only shared a hub with a storm are not flagged: an innocent meter beside a faulty GPF
   * (its one alert consolidated in the GPF's storm), and a hub of 40 devices of one model that each sent one alert
   * (the hub stormed, no device did). Before, every device with an alert consolidated counted as stormed, and both
   * models were confirmed with the faulty one.
   */
  @org.junit.jupiter.api.Test
  void devicesThatOnlySharedAStormingHubDoNotFlagTheirModel(@TempDir Path dir) throws Exception {
    String reader = HttpTokens.newToken();
    JsonObject config = readerConfig(dir, reader);
    config.getJsonObject("policy").getJsonObject("defaults").put("regionalThreshold", 1_000_000);
    JsonObject faulty = new JsonObject().put("manufacturer", "Bad").put("model", "G1").put("firmware", "1");
    JsonObject innocent = new JsonObject().put("manufacturer", "Innocent").put("model", "E1").put("firmware", "1");
    JsonObject few = new JsonObject().put("manufacturer", "Few").put("model", "F1").put("firmware", "1");
    JsonObject rest = new JsonObject().put("manufacturer", "Rest").put("model", "R1").put("firmware", "1");
    Node node = TestNodes.start(config);
    try {
      int port = node.httpPort();
      JsonArray batch = new JsonArray();
      for (int d = 0; d < 100; d++) {
        batch.add(deviceAlert(0x10, d, 0x10, d, CODE, 1, rest)).add(deviceAlert(0x10, d, 0x10, d, "8F41", 2, rest));
      }
      post(port, reader, batch);
      for (int h = 0; h < 35; h++) {
        batch = new JsonArray();
        for (int i = 1; i <= 15; i++) batch.add(deviceAlert(0x20, h, 0x20, h, CODE, i, faulty));
        batch.add(deviceAlert(0x20, h, 0x21, h, CODE, 1, innocent));
        post(port, reader, batch);
      }
      batch = new JsonArray();
      for (int d = 0; d < 40; d++) batch.add(deviceAlert(0x30, 0, 0x30, d, "8F41", 1, few));
      post(port, reader, batch);
      long sent = 200 + 35 * 16 + 40;
      Await.until(() -> {
        JsonObject e = entry(registerOf(port, reader), faulty, CODE);
        return node.status().toJson().getLong("received") == sent && e != null && !e.getString("status").equals("none")
            && e.getLong("alerts") == 35 * 15;
      }, Duration.ofSeconds(60), () -> "register: " + registerOf(port, reader).encodePrettily());
      JsonObject register = registerOf(port, reader);
      assertEquals(35, entry(register, faulty, CODE).getLong("devicesStormed"), 1, "the faulty devices stormed");
      for (JsonObject[] modelCode : List.of(new JsonObject[] {innocent, new JsonObject().put("code", CODE)},
          new JsonObject[] {few, new JsonObject().put("code", "8F41")})) {
        JsonObject e = entry(register, modelCode[0], modelCode[1].getString("code"));
        assertTrue(e != null, "the model is assessed: " + register.encodePrettily());
        assertEquals(0, e.getLong("devicesStormed"), e.encodePrettily());
        assertEquals("none", e.getString("status"), e.encodePrettily());
      }
    } finally {
      TestNodes.stop(node);
    }
  }

  /**
   * A power restoration: 100 hubs of one model each sending the 12 alerts of its restoration at once. The first hubs
   * storm on their own before the region's count shows the burst, the rest are grouped: the model is not flagged, as
   * the hour's held alerts of the code were mostly grouped. Before, the first hubs' devices counted as stormed and the
   * restored model was confirmed.
   */
  @org.junit.jupiter.api.Test
  void aModelWhoseHubsStormedAsARegionalBurstBeganIsNotFlagged(@TempDir Path dir) throws Exception {
    String reader = HttpTokens.newToken();
    JsonObject config = readerConfig(dir, reader);
    config.getJsonObject("policy").getJsonObject("defaults").put("regionalWindow", "10s");
    JsonObject restored = new JsonObject().put("manufacturer", "Restored").put("model", "R9").put("firmware", "1");
    JsonObject rest = new JsonObject().put("manufacturer", "Rest").put("model", "R1").put("firmware", "1");
    Node node = TestNodes.start(config);
    try {
      int port = node.httpPort();
      JsonArray background = new JsonArray();
      for (int d = 0; d < 200; d++) background.add(deviceAlert(0x40, d, 0x40, d, "8F01", 1, rest));
      post(port, reader, background);
      for (int h = 0; h < 100; h++) {
        JsonArray restoration = new JsonArray();
        for (int i = 1; i <= 12; i++) restoration.add(deviceAlert(0x50, h, 0x50, h, "8F4B", i, restored));
        post(port, reader, restoration);
      }
      JsonObject status = node.status().toJson();
      assertTrue(status.getLong("consolidated") > 0 && status.getLong("grouped") > status.getLong("consolidated"),
          "the first hubs stormed on their own, the rest were grouped: " + status.encode());
      Await.until(() -> {
        JsonObject e = entry(registerOf(port, reader), restored, "8F4B");
        return e != null && e.getLong("alerts") == 1200;
      }, Duration.ofSeconds(60), () -> "register: " + registerOf(port, reader).encodePrettily());
      JsonObject e = entry(registerOf(port, reader), restored, "8F4B");
      assertEquals(0, e.getLong("devicesStormed"), e.encodePrettily());
      assertEquals("none", e.getString("status"), e.encodePrettily());
    } finally {
      TestNodes.stop(node);
    }
  }

  /** A node on the embedded store, recomputing its register every second, with {@code reader} a client token. */
  private static JsonObject readerConfig(Path dir, String reader) throws Exception {
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("viewer:client:" + HttpTokens.digest(reader)));
    return TestNodes.config(upstream.broker().url())
        .put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())))
        .put("rollups", rollups("embedded", dir))
        .put("register", new JsonObject().put("recomputeEvery", "1s"));
  }

  /** One alert: hub {@code hubGroup/hub}, device {@code deviceGroup/device}. */
  private static JsonObject deviceAlert(int hubGroup, int hub, int deviceGroup, int device, String code, int counter, JsonObject dmc) {
    return new JsonObject().put("hubId", String.format("00-1B-C5-0D-00-%02X-%02X-01", hubGroup, hub))
        .put("deviceId", String.format("00-1B-C5-0D-01-%02X-%02X-02", deviceGroup, device)).put("deviceType", "ESME")
        .put("alertCode", code).put("originatorCounter", counter).put("raisedAt", Instant.now().toString()).put("dmc", dmc);
  }

  private static JsonObject rollups(String store, Path dir) throws Exception {
    JsonObject rollups = new JsonObject().put("flushInterval", "200ms");
    if (store.equals("postgresql")) {
      if (postgres == null) postgres = PostgresProcess.start();
      Path password = dir.resolve("db-password");
      Files.writeString(password, PostgresProcess.PASSWORD + "\n");
      rollups.put("store", new JsonObject().put("url", postgres.createDatabase("register_" + System.nanoTime()))
          .put("username", PostgresProcess.USER).put("passwordFile", password.toString()));
    }
    return rollups;
  }

  /** Every device sends one alert of the code; its stormers send a storm of it. Returns the alerts sent. */
  private static int sendTraffic(int port, String token) throws Exception {
    JsonArray batch = new JsonArray();
    int sent = 0;
    for (int m = 0; m <= MODELS; m++) {
      boolean stormy = m == MODELS;
      JsonObject dmc = stormy ? STORMY : new JsonObject().put("manufacturer", "Maker" + (m % 7)).put("model", "M" + m)
          .put("firmware", "2." + (m % 3));
      int devices = stormy ? STORMY_DEVICES : DEVICES;
      int stormers = stormy ? STORMY_STORMERS : 2 + m % 2;
      for (int d = 0; d < devices; d++) {
        int alerts = d < stormers ? STORM_ALERTS : 1;
        for (int i = 1; i <= alerts; i++) {
          batch.add(alert(m, d, i, dmc));
          sent++;
        }
        if (batch.size() >= 500) {
          post(port, token, batch);
          batch = new JsonArray();
        }
      }
    }
    if (!batch.isEmpty()) post(port, token, batch);
    return sent;
  }

  private static JsonObject alert(int model, int device, int counter, JsonObject dmc) {
    String hub = String.format("00-1B-C5-0C-00-%02X-%02X-01", model, device);
    return new JsonObject().put("hubId", hub).put("deviceId", String.format("00-1B-C5-0C-01-%02X-%02X-02", model, device))
        .put("deviceType", "ESME").put("alertCode", CODE).put("originatorCounter", counter)
        .put("raisedAt", Instant.now().toString()).put("dmc", dmc);
  }

  private static void post(int port, String token, JsonArray batch) {
    Answer a = call(port, HttpMethod.POST, "/v1/alerts", token, batch.toBuffer());
    assertEquals(200, a.status(), a.body());
  }

  private static JsonObject registerOf(int port, String token) {
    Answer a = call(port, HttpMethod.GET, "/v1/register/dmcs", token, null);
    return a.status() == 200 ? a.json() : new JsonObject();
  }

  private static JsonObject entry(JsonObject register, JsonObject dmc, String code) {
    for (Object o : register.getJsonArray("entries", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      if (dmc.equals(e.getValue("dmc")) && code.equals(e.getString("alertCode"))) return e;
    }
    return null;
  }

  private static Answer call(int port, HttpMethod method, String path, String token, Buffer body) {
    try {
      return http.call(c -> c.request(method, port, "127.0.0.1", path).compose(r -> {
        if (token != null) r.putHeader("Authorization", "Bearer " + token);
        if (body != null) r.putHeader("Content-Type", "application/json");
        return (body == null ? r.send() : r.send(body))
            .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"), b.toString())));
      })).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return new Answer(0, null, e.toString());
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit = org.csp.edge.cli.CommandLines.execute(org.csp.edge.Main.commandLine(env, java.io.InputStream.nullInputStream(), o, e),
        args, o, e);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
