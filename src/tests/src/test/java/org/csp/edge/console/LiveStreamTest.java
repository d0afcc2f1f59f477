package org.csp.edge.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
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
  private static Node node;
  private static Vertx vertx;
  private static HttpClient client;
  private static String token;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    token = HttpTokens.newToken();
    Path tokens = dir.resolve("http-tokens");
    Files.write(tokens, List.of("viewer:client:" + HttpTokens.digest(token)));
    JsonObject config = TestNodes.config(null);
    config.put("security", new JsonObject().put("http", new JsonObject().put("tokensFile", tokens.toString())));
    config.put("console", new JsonObject().put("liveInterval", INTERVAL.toMillis() + "ms").put("liveTop", TOP)
        .put("liveMaxSubscribers", MAX_SUBSCRIBERS));
    config.getJsonObject("policy").getJsonObject("defaults").put("quietPeriod", "60s");
    node = TestNodes.start(config);
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()),
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

  private static Future<HttpClientResponse> call(String token) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/live");
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    return client.request(o).compose(r -> r.send());
  }

  private static Subscription subscribe() throws Exception {
    Subscription s = new Subscription();
    HttpClientResponse r = call(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.getHeader("Content-Type"));
    s.response = r;
    r.handler(s::take);
    return s;
  }

  @Test
  void refusedWithoutAToken() throws Exception {
    HttpClientResponse r = call(null).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String body = r.body().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
    assertEquals(401, r.statusCode(), body);
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
  }

  @Test
  void atMostTheConfiguredSubscribers() throws Exception {
    Subscription first = subscribe();
    Subscription second = subscribe();
    HttpClientResponse third = call(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String body = third.body().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
    assertEquals(503, third.statusCode(), body);
    assertEquals("application/problem+json", third.getHeader("Content-Type"));
    assertTrue(new JsonObject(body).getString("detail").contains("console.liveMaxSubscribers"), body);
    assertTrue(third.getHeader("Retry-After") != null);
    Await.until(() -> !first.updates.isEmpty() && !second.updates.isEmpty(), Duration.ofSeconds(10), () -> "no update");
    first.close();
    Subscription again = null;
    for (int i = 0; i < 50 && again == null; i++) {
      HttpClientResponse r = call(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (r.statusCode() == 200) {
        again = new Subscription();
        again.response = r;
        r.handler(again::take);
      } else {
        r.body();
        Thread.sleep(100);
      }
    }
    assertTrue(again != null, "a place freed by a closed stream is taken again");
    second.close();
    again.close();
  }

  @Test
  void boundedInRateAndSizeUnderAStorm() throws Exception {
    // Storms on more hubs than the lists hold: the lists are cut, the counts are whole.
    for (int h = 0; h < STORMING_HUBS; h++) postStorm(h);
    Subscription live = subscribe();
    Await.until(() -> !live.updates.isEmpty()
            && live.updates.get(live.updates.size() - 1).getJsonObject("storms").getInteger("hubsInStorm") == STORMING_HUBS,
        Duration.ofSeconds(30), () -> live.updates.isEmpty() ? "no update" : live.updates.get(live.updates.size() - 1).encode());
    JsonObject last = live.updates.get(live.updates.size() - 1);
    assertEquals(TOP, last.getJsonArray("topHubs").size(), "the top hubs are cut to console.liveTop");
    assertEquals(STORMING_HUBS, last.getJsonObject("storms").getJsonArray("codes").getJsonObject(0).getInteger("hubs"));

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
    live.close();
  }

  /** Ten alerts of 8F3E from one device of hub {@code h}, in one HTTP batch: the hub storms on 8F3E. */
  private static void postStorm(int h) throws Exception {
    String hub = String.format("00-1B-C5-0C-00-00-%02X-00", h);
    JsonArray batch = new JsonArray();
    for (int i = 1; i <= 10; i++) {
      batch.add(new JsonObject().put("hubId", hub).put("deviceId", String.format("00-1B-C5-0C-00-00-%02X-01", h))
          .put("alertCode", "8F3E").put("originatorCounter", i).put("raisedAt", Instant.now().toString()));
    }
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/alerts")
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
    int status = client.request(o).compose(r -> r.send(batch.toBuffer())).map(HttpClientResponse::statusCode)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, status);
  }
}
