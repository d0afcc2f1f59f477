package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.sim.TransportKind;
import org.csp.edge.support.Await;
import org.csp.edge.support.DspBroker;
import org.csp.edge.support.FreePorts;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.OneContextHttpClient;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DSP's broker goes away: nothing is lost, repeats keep their eventId and count, and a full outbox pushes back. */
class UpstreamOutageTest {
  /** The DSP's feed keeps its session and queued events across the broker's restart: only Mosquitto persists them. */
  private static final String RESTART = "a broker restarted with the feed's persistent session";
  private Vertx vertx;
  /** Held in a field: Vert.x closes an HttpClient (and its connections) once it is no longer referenced. */
  private OneContextHttpClient http;
  private DspBroker broker;
  private Node node;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    http = new OneContextHttpClient(vertx);
    broker = DspBroker.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    TestNodes.stop(node);
    if (broker != null) broker.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theBrokerStoppedMidStormLosesNothing() throws Exception {
    Mosquitto.require(RESTART);
    broker.start();
    JsonObject config = TestNodes.config(broker.url());
    node = TestNodes.start(config);
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimOptions options = SimOptions.builder().transport(TransportKind.MQTT).host("127.0.0.1")
          .mqttPort(config.getJsonObject("node").getInteger("mqttPort")).scenario("mix").scale(0.5).seed(11)
          .ratePerSecond(800).quiet(true).build();
      CompletableFuture<SimReport> run = new StormSimulator().run(vertx, options).toCompletionStage().toCompletableFuture();

      Thread.sleep(1500);
      broker.stop(); // SIGTERM, mid-storm: Mosquitto saves its persistent sessions
      long downAt = node.status().toJson().getJsonObject("events").getLong("delivered");
      Thread.sleep(2500);
      assertTrue(!node.status().upstreamConnected(), "the node sees the broker gone");
      assertTrue(node.status().toJson().getInteger("outboxDepth") > 0, "events wait in the outbox meanwhile");
      broker.start();

      SimReport sent = run.get(3, TimeUnit.MINUTES);
      Await.until(() -> node.status().settled(), Duration.ofSeconds(60), () -> node.status().toJson().encode());
      JsonObject status = node.status().toJson();
      long expected = sent.alertsSent() - status.getLong("duplicates") - status.getLong("rejected");
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + " of " + expected + "; " + dsp.state() + "; " + status.encode());
      assertEquals(sent.alertsSent(), dsp.countedAlerts() + status.getLong("duplicates") + status.getLong("rejected"));
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "repeats carry the same eventId, type and count: " + dsp.repeatsThatDiffer());
      assertTrue(status.getJsonObject("events").getLong("delivered") > downAt, "delivery resumed after the restart");
      System.out.printf("broker outage: %d alerts, %d events, %d repeats seen by the DSP, %d resent by the node%n",
          sent.alertsSent(), dsp.events(), dsp.repeats(), status.getJsonObject("events").getLong("resent"));
    }
  }

  @Test
  void aFullOutboxHoldsAcknowledgementsUntilTheBrokerIsBack() throws Exception {
    Mosquitto.require(RESTART);
    // The feed's persistent session exists before the node publishes anything, so what the node sends when the broker
    // is back is queued for the feed whichever of the two reconnects first (else a fast node outruns the feed).
    DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#");
    broker.start();
    dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    broker.stop(); // upstream is down from here on
    JsonObject config = TestNodes.config(broker.url());
    config.put("outbox", new JsonObject().put("capacity", 50).put("resumeAt", 10).put("drainTimeout", "5s"));
    node = TestNodes.start(config);
    int mqttPort = config.getJsonObject("node").getInteger("mqttPort");
    int total = 200;
    AtomicInteger acked = new AtomicInteger();
    MqttClient hub = MqttClient.create(vertx, new MqttClientOptions().setClientId("head-end").setMaxInflightQueue(total));
    hub.publishCompletionHandler(id -> acked.incrementAndGet());
    hub.connect(mqttPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < total; i++) {
      String hubId = String.format("00-1B-C5-0C-00-01-%02X-%02X", i / 256, i % 256);
      JsonObject alert = new JsonObject().put("hubId", hubId).put("deviceId", hubId.replace("-0C-", "-0D-"))
          .put("alertCode", "8F0A").put("originatorCounter", i).put("raisedAt", Instant.now().toString());
      hub.publish("alerts/" + hubId, alert.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false);
    }
    Await.until(() -> node.status().toJson().getBoolean("backPressure"), Duration.ofSeconds(20),
        () -> node.status().toJson().encode());
    Thread.sleep(1000);
    int ackedWhileFull = acked.get();
    assertTrue(ackedWhileFull < total, "acknowledgements are held while the outbox is full: " + ackedWhileFull);
    assertEquals(503, post(node.httpPort()), "HTTP intake answers 503 while the outbox is full");
    assertEquals(503, get(node.httpPort(), "/health/ready"), "not ready: it cannot take alerts now");

    try (dsp) {
      broker.start();
      Await.until(() -> acked.get() == total, Duration.ofSeconds(30), () -> "acked " + acked.get());
      Await.until(() -> dsp.countedAlerts() == total, Duration.ofSeconds(30), () -> "upstream " + dsp.countedAlerts() + "; " + dsp.state() + "; node " + node.status().toJson().encode());
      assertTrue(!node.status().toJson().getBoolean("backPressure"));
      assertEquals(200, get(node.httpPort(), "/health/ready"), "ready again once the broker took the outbox");
    }
    hub.disconnect();
  }

  /**
   * HTTP is not held back: the body that fills the outbox is answered at once (taken, 200), and the next is refused
   * unread (503 with Retry-After). An answer held until the broker is back would time out and be sent again.
   */
  @Test
  void theHttpBodyThatFillsTheOutboxIsAnsweredAtOnceAndTheNextIsRefused() throws Exception {
    JsonObject config = TestNodes.config("tcp://127.0.0.1:" + FreePorts.next()); // no broker there
    config.put("outbox", new JsonObject().put("capacity", 20).put("resumeAt", 5).put("drainTimeout", "1s"));
    node = TestNodes.start(config);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 40 && refused == 0; i++) {
      String hubId = String.format("00-1B-C5-0C-00-02-00-%02X", i);
      JsonObject alert = new JsonObject().put("hubId", hubId).put("deviceId", hubId.replace("-0C-", "-0D-"))
          .put("alertCode", "8F0B").put("originatorCounter", i).put("raisedAt", Instant.now().toString());
      int status = http.call(c -> c.request(HttpMethod.POST, node.httpPort(), "127.0.0.1", "/v1/alerts")
          .compose(r -> r.putHeader("Content-Type", "application/json").send(alert.toBuffer()))
          .map(r -> r.statusCode())).get(10, TimeUnit.SECONDS); // a held answer fails here
      if (status == 200) accepted++;
      else if (status == 503) refused++;
      else throw new AssertionError("alert " + i + ": HTTP " + status);
    }
    JsonObject status = node.status().toJson();
    assertEquals(1, refused, "back-pressure refuses the body after the one that filled the outbox: " + status.encode());
    assertTrue(accepted >= 20, "the outbox took its capacity first: " + accepted);
    assertEquals(accepted, status.getLong("forwarded"), status.encode());
    assertEquals(0, status.getLong("acksHeld"), "no HTTP answer held: " + status.encode());
  }

  @Test
  void eventsTheBrokerHasNotTakenAtStopAreSentByTheNextStart() throws Exception {
    JsonObject config = TestNodes.config(broker.url()); // broker down for the whole first run
    node = TestNodes.start(config);
    JsonObject alert = new JsonObject().put("hubId", "00-1B-C5-0C-00-02-00-01").put("deviceId", "00-1B-C5-0C-00-02-00-02")
        .put("alertCode", "8F0A").put("originatorCounter", 77).put("raisedAt", Instant.now().toString());
    int status = http.call(c -> c.request(HttpMethod.POST, node.httpPort(), "127.0.0.1", "/v1/alerts")
        .compose(r -> r.send(alert.toBuffer())).map(r -> r.statusCode())
        ).get(10, TimeUnit.SECONDS);
    assertEquals(200, status);
    assertEquals(1, node.status().toJson().getInteger("outboxDepth"));
    TestNodes.stop(node); // graceful: waits drainTimeout for the broker, then spills
    node = null;

    broker.start();
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      config.getJsonObject("node").put("mqttPort", org.csp.edge.support.FreePorts.next())
          .put("httpPort", org.csp.edge.support.FreePorts.next());
      node = TestNodes.start(config); // same dataDir
      Await.until(() -> dsp.eventsOfType("alert") == 1, Duration.ofSeconds(20), () -> "not delivered after restart");
      assertEquals(77, dsp.all().get(0).getInteger("originatorCounter"));
    }
  }

  /**
   * A stop whose spill cannot be written (a full disk; here a directory in the spill's way) keeps the journal: the
   * next start restores the hubs from it and sends what was waiting. Discarding it lost every waiting alert.
   */
  @Test
  void aStopThatCannotWriteItsSpillKeepsTheJournalForTheNextStart() throws Exception {
    JsonObject config = TestNodes.config(broker.url()); // broker down for the whole first run
    Path dataDir = Path.of(config.getJsonObject("node").getString("dataDir"));
    node = TestNodes.start(config);
    int alerts = 5;
    for (int i = 0; i < alerts; i++) {
      JsonObject alert = new JsonObject().put("hubId", String.format("00-1B-C5-0C-00-03-00-%02X", i))
          .put("deviceId", String.format("00-1B-C5-0D-00-03-00-%02X", i)).put("alertCode", "8F0A")
          .put("originatorCounter", 500 + i).put("raisedAt", Instant.now().toString());
      int status = http.call(c -> c.request(HttpMethod.POST, node.httpPort(), "127.0.0.1", "/v1/alerts")
          .compose(r -> r.send(alert.toBuffer())).map(r -> r.statusCode())).get(10, TimeUnit.SECONDS);
      assertEquals(200, status);
    }
    Path inTheWay = Files.createDirectories(dataDir.resolve("outbox-spill.ndjson").resolve("in-the-way"));
    TestNodes.stop(node); // graceful: waits drainTimeout for the broker, then cannot spill
    node = null;
    try (var segments = Files.list(dataDir.resolve("journal"))) {
      assertTrue(segments.anyMatch(f -> f.getFileName().toString().startsWith("journal-")), "the journal is kept");
    }

    Files.delete(inTheWay);
    Files.delete(inTheWay.getParent());
    broker.start();
    try (DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      config.getJsonObject("node").put("mqttPort", FreePorts.next()).put("httpPort", FreePorts.next());
      node = TestNodes.start(config); // same dataDir
      Await.until(() -> dsp.eventsOfType("alert") == alerts, Duration.ofSeconds(30),
          () -> dsp.eventsOfType("alert") + " of " + alerts + " delivered after the restart");
    }
  }

  private int get(int httpPort, String path) throws Exception {
    return http.call(c -> c.request(HttpMethod.GET, httpPort, "127.0.0.1", path)
        .compose(r -> r.send()).map(r -> r.statusCode())
        ).get(10, TimeUnit.SECONDS);
  }

  private int post(int httpPort) throws Exception {
    return http.call(c -> c.request(HttpMethod.POST, httpPort, "127.0.0.1", "/v1/alerts")
        .compose(r -> r.send(Buffer.buffer("{}")))
        .map(r -> r.statusCode()))
        .get(10, TimeUnit.SECONDS);
  }
}
