package org.csp.edge.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.Node;
import org.csp.edge.security.HttpTokens;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.sim.TransportKind;
import org.csp.edge.support.Await;
import org.csp.edge.support.MetricsScrape;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /v1/live is bounded whatever the alert rate: at most one update per console.liveInterval, lists cut to
 * console.liveTop, at most console.liveMaxSubscribers streams; and it is an API call, refused without a token.
 * Measured here: the stream's bytes per second while the node takes alerts as fast as this machine sends them.
 */
class LiveStreamTest {
  private static final int TOP = 5;
  private static final int MAX_SUBSCRIBERS = 2;
  private static final Duration INTERVAL = Duration.ofMillis(250);
  /** An update with every list at TOP entries is about 2 KiB; this leaves room, and stays far below a storm's size. */
  private static final int MAX_UPDATE_BYTES = 8 * 1024;
  private static final int STORMING_HUBS = 30;
  private static final int ALERTS_PER_HUB = 20;
  private static Node node;
  private static Vertx vertx;
  private static OneContextHttpClient client;
  private static String token;
  private static String otherToken;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    token = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    otherToken = HttpTokens.newToken();
    Files.write(tokens, List.of("viewer:client:" + HttpTokens.digest(token), "other:client:" + HttpTokens.digest(otherToken)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    config.put("console", new JsonObject().put("liveInterval", INTERVAL.toMillis() + "ms").put("liveTop", TOP)
        .put("liveMaxSubscribers", MAX_SUBSCRIBERS));
    config.getJsonObject("policy").getJsonObject("defaults").put("quietPeriod", "60s");
    node = TestNodes.start(config);
    vertx = Vertx.vertx();
    client = new OneContextHttpClient(vertx, new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()),
        new PoolOptions().setHttp1MaxSize(8));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestNodes.stop(node);
  }

  /** One open stream: the updates it received and its bytes. */
  private static final class Subscription {
    final List<JsonObject> updates = new CopyOnWriteArrayList<>();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong largest = new AtomicLong();
    final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    HttpClientResponse response;
    private final StringBuilder text = new StringBuilder();

    void take(Buffer b) {
      bytes.addAndGet(b.length());
      text.append(b.toString());
      int end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        String block = text.substring(0, end);
        text.delete(0, end + 2);
        for (String line : block.split("\n")) {
          if (line.startsWith("data: ")) {
            largest.accumulateAndGet(block.length() + 2, Math::max);
            updates.add(new JsonObject(line.substring(6)));
          }
        }
      }
    }

    void close() {
      response.request().connection().close();
    }
  }

  /** An answer: a stream (its subscription, taking every chunk from the first), or a refusal with its body. */
  private record Answer(int status, String contentType, String retryAfter, String body, Subscription stream) {}

  /** GET /v1/live; the body is read as the answer arrives (a response's data is not kept for a late reader). */
  private static Answer call(String token) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/live");
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    return client.call(c -> c.request(o).compose(r -> r.send()).compose(resp -> {
      if (resp.statusCode() == 200) {
        Subscription s = new Subscription();
        s.response = resp;
        resp.handler(s::take);
        resp.endHandler(v -> s.ended.set(true));
        return Future.succeededFuture(new Answer(200, resp.getHeader("Content-Type"), null, null, s));
      }
      return resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"), resp.getHeader("Retry-After"),
          b.toString(), null));
    })).get(10, TimeUnit.SECONDS);
  }

  private static Subscription subscribe() throws Exception {
    return subscribe(token);
  }

  private static Subscription subscribe(String token) throws Exception {
    Answer a = call(token);
    assertEquals(200, a.status(), a.body());
    assertEquals("text/event-stream", a.contentType());
    return a.stream();
  }

  /** The node's count of open streams (its metric), once the streams of an earlier test are closed. */
  private static void awaitNoSubscribers() throws Exception {
    Await.until(() -> node.status() != null && metric("csp_console_live_subscribers") == 0, Duration.ofSeconds(10),
        () -> "streams still open: " + metric("csp_console_live_subscribers"));
  }

  private static double metric(String name) {
    try {
      return MetricsScrape.value(node.httpPort(), token, name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** GET of a path, without a token: status, Content-Type, Content-Security-Policy. */
  private static String[] plainGet(String path) throws Exception {
    return client.call(c -> c.request(HttpMethod.GET, path).compose(r -> r.send()).compose(resp -> resp.body().map(b -> new String[] {
        Integer.toString(resp.statusCode()), resp.getHeader("Content-Type"), resp.getHeader("Content-Security-Policy")}))
        ).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theConsoleFilesArePublicTheDataIsNot() throws Exception {
    String[] page = plainGet("/");
    assertEquals("200", page[0]);
    assertTrue(page[1].startsWith("text/html"), page[1]);
    String policy = page[2];
    assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("connect-src 'self'"),
        "only the node's own scripts and connections: " + policy);
    assertTrue(!policy.contains("unsafe-inline") && !policy.contains("http") && !policy.contains("*"), "no inline script, no remote source: " + policy);
    String[] script = plainGet("/console/app.js");
    assertEquals("200", script[0]);
    assertTrue(script[1].startsWith("text/javascript"), script[1]);
    assertEquals("404", plainGet("/console/no-such-file.js")[0]);
    assertEquals("401", plainGet("/console/../v1/status")[0], "no way round to the data by path");
    assertEquals("401", plainGet("/v1/caller")[0]);
  }

  @Test
  void refusedWithoutAToken() throws Exception {
    Answer a = call(null);
    assertEquals(401, a.status(), a.body());
    assertEquals("application/problem+json", a.contentType());
  }

  @Test
  void atMostTheConfiguredSubscribers() throws Exception {
    awaitNoSubscribers();
    Subscription first = subscribe();
    Subscription second = subscribe();
    Answer third = call(token);
    assertEquals(503, third.status(), third.body());
    assertEquals("application/problem+json", third.contentType());
    assertTrue(new JsonObject(third.body()).getString("detail").contains("console.liveMaxSubscribers"), third.body());
    assertTrue(third.retryAfter() != null, "says when to try again");
    Await.until(() -> !first.updates.isEmpty() && !second.updates.isEmpty(), Duration.ofSeconds(10), () -> "no update");
    first.close();
    Await.until(() -> metric("csp_console_live_subscribers") == 1, Duration.ofSeconds(10), () -> "the closed stream is still counted");
    Subscription again = subscribe();
    second.close();
    again.close();
  }

  /**
   * One caller holding every stream (a script looping, or one token in many tabs) does not lock the others out: a
   * caller with fewer streams gets one, and the holder's oldest ends; a caller who would then hold as many as the
   * other is refused, so two callers do not take streams from each other in turn.
   */
  @Test
  void oneCallerCannotHoldEveryStream() throws Exception {
    awaitNoSubscribers();
    double givenWay = metric("csp_console_live_given_way_total");
    Subscription oldest = subscribe(token);
    Subscription newest = subscribe(token);
    assertEquals(503, call(token).status(), "the caller holding every stream gets no more");
    Subscription other = subscribe(otherToken);
    Await.until(oldest.ended::get, Duration.ofSeconds(10), () -> "the holder's oldest stream did not end");
    assertTrue(!newest.ended.get(), "only the oldest gave way");
    assertEquals(givenWay + 1, metric("csp_console_live_given_way_total"));
    Answer again = call(token);
    assertEquals(503, again.status(), "one each: neither takes the other's " + again.body());
    assertEquals(503, call(otherToken).status(), "nor the other the first's");
    Await.until(() -> !other.updates.isEmpty() && !newest.updates.isEmpty(), Duration.ofSeconds(10), () -> "no update");
    oldest.close();
    newest.close();
    other.close();
  }

  @Test
  void boundedInRateAndSizeUnderAStorm() throws Exception {
    // Storms on more hubs than the lists hold: the lists are cut, the counts are whole.
    awaitNoSubscribers();
    for (int h = 0; h < STORMING_HUBS; h++) postStorm(h);
    Subscription live = subscribe();
    try {
      measure(live);
    } finally {
      live.close();
    }
  }

  private void measure(Subscription live) throws Exception {
    Await.until(() -> !live.updates.isEmpty()
            && live.updates.get(live.updates.size() - 1).getJsonObject("storms").getInteger("hubsInStorm") > TOP,
        Duration.ofSeconds(30), () -> live.updates.isEmpty() ? "no update" : live.updates.get(live.updates.size() - 1).encode());
    JsonObject last = live.updates.get(live.updates.size() - 1);
    assertEquals(TOP, last.getJsonArray("topHubs").size(), "the top hubs are cut to console.liveTop");
    assertEquals(last.getJsonObject("storms").getInteger("hubsInStorm"),
        last.getJsonObject("storms").getJsonArray("codes").getJsonObject(0).getInteger("hubs"), "every storming hub counted");

    // The node takes alerts as fast as the simulator sends them; the stream stays at its rate and size.
    long bytesBefore = live.bytes.get();
    int updatesBefore = live.updates.size();
    long receivedBefore = node.status().toJson().getLong("received");
    long started = System.nanoTime();
    SimOptions options = SimOptions.builder().transport(TransportKind.MQTT).host("127.0.0.1")
        .mqttPort(node.config().mqttPort()).scenario("power-restore").scale(2.0).seed(7).quiet(true).connections(4).build();
    SimReport sent = new StormSimulator().run(vertx, options).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - started) / 1e9;
    long alerts = node.status().toJson().getLong("received") - receivedBefore;
    long bytes = live.bytes.get() - bytesBefore;
    int updates = live.updates.size() - updatesBefore;
    double maxUpdatesPerSecond = 1000.0 / INTERVAL.toMillis();
    System.out.printf("live stream under a storm: %d alerts in %.1f s (%.0f alerts/s) -> %d updates, %.0f bytes/s, largest update %d bytes%n",
        alerts, seconds, alerts / seconds, updates, bytes / seconds, live.largest.get());
    assertTrue(sent.alertsSent() > 0);
    assertTrue(updates <= maxUpdatesPerSecond * seconds + 2, updates + " updates in " + seconds + " s");
    assertTrue(live.largest.get() <= MAX_UPDATE_BYTES, "largest update " + live.largest.get() + " bytes");
    assertTrue(bytes / seconds <= maxUpdatesPerSecond * MAX_UPDATE_BYTES, bytes / seconds + " bytes/s");
  }

  /** {@value #ALERTS_PER_HUB} alerts of 8F3E from one device of hub {@code h}, in one HTTP batch: the hub storms on 8F3E. */
  private static void postStorm(int h) throws Exception {
    String hub = String.format("00-1B-C5-0C-00-00-%02X-00", h);
    JsonArray batch = new JsonArray();
    for (int i = 1; i <= ALERTS_PER_HUB; i++) {
      batch.add(new JsonObject().put("hubId", hub).put("deviceId", String.format("00-1B-C5-0C-00-00-%02X-01", h))
          .put("alertCode", "8F3E").put("originatorCounter", i).put("raisedAt", Instant.now().toString()));
    }
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/alerts")
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
    int status = client.call(c -> c.request(o).compose(r -> r.send(batch.toBuffer())).map(HttpClientResponse::statusCode)
        ).get(10, TimeUnit.SECONDS);
    assertEquals(200, status);
  }
}
