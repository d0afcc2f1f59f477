package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.DspBroker;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fair share upstream (issue 19, items 6 and 2): over a link throttled to a few hundred events a second, a storm
 * of the suppliers' code queues thousands of events; the DNO's alerts raised meanwhile leave within their share (one
 * storm event ahead of each, with equal weights) instead of behind the storm's backlog, a forward-mode code passes
 * ahead of both, every event is delivered, each recipient's in the order raised, and the counts per recipient add
 * up to what the DSP received.
 */
class FairShareUpstreamTest {
  private static final String STORM_CODE = "8F3E"; // the suppliers' (the rest)
  private static final String DNO_CODE = "8014";
  private static final String FORWARD_CODE = "8F01"; // a supplier's code, in forward mode
  private static final int STORM = 2000;
  /** The storm's hubs: each sends STORM / STORM_HUBS alerts, counters 0, 1, 2... */
  private static final int STORM_HUBS = 200;
  private static final int TRICKLE = 20;
  private static final int FORWARDED = 5;
  /** Each PUBACK held this long, with one publish in flight: about 200 events a second at most. */
  private static final Duration ACK_DELAY = Duration.ofMillis(5);
  private Vertx vertx;
  private DspBroker broker;
  private Node node;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    broker = DspBroker.create().start();
  }

  @AfterEach
  void tearDown() throws Exception {
    TestNodes.stop(node);
    broker.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aStormOfOneRecipientHoldsAnothersAlertsNoLongerThanTheirShareAndForwardModePassesAhead() throws Exception {
    Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    List<JsonObject> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger heartbeats = new java.util.concurrent.atomic.AtomicInteger();
    try (SlowAckLink link = new SlowAckLink(vertx, broker.port(), ACK_DELAY);
        DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.onEvent(e -> {
        if ("heartbeat".equals(e.getString("type"))) heartbeats.incrementAndGet();
        arrivedAt.put(e.getString("eventId"), System.currentTimeMillis());
        if ("alert".equals(e.getString("type"))) arrivals.add(e);
      });
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int linkPort = link.start();
      JsonObject config = TestNodes.config("tcp://127.0.0.1:" + linkPort);
      config.getJsonObject("upstream").put("maxInflight", 1);
      // Every alert passes singly (no storm, no regional burst): each is one event on the link.
      JsonObject single = new JsonObject().put("stormThreshold", 1_000_000).put("releaseThreshold", 1)
          .put("regionalThreshold", 1_000_000).put("regionalRelease", 1);
      config.getJsonObject("policy").put("codes", new JsonObject().put(STORM_CODE, single).put(DNO_CODE, single.copy())
          .put(FORWARD_CODE, new JsonObject().put("mode", "forward")));
      config.put("recipients", new JsonArray()
          .add(new JsonObject().put("name", "dno").put("codes", new JsonArray().add(DNO_CODE).add("8015")).put("weight", 1))
          .add(new JsonObject().put("name", "suppliers").put("codes", new JsonArray().add("*")).put("weight", 1)));
      node = TestNodes.start(config);

      MqttClient hubs = MqttClient.create(vertx, new MqttClientOptions().setClientId("head-end").setMaxInflightQueue(100));
      hubs.connect(config.getJsonObject("node").getInteger("mqttPort"), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (int batch = 0; batch < STORM / 1000; batch++) {
        JsonArray alerts = new JsonArray();
        for (int i = batch * 1000; i < (batch + 1) * 1000; i++) alerts.add(alert(1, i % STORM_HUBS, i / STORM_HUBS, STORM_CODE));
        publish(hubs, "alerts", alerts.encode());
      }
      Await.until(() -> node.status().toJson().getLong("forwarded") == STORM, Duration.ofSeconds(60),
          () -> node.status().toJson().encode());
      for (int i = 0; i < TRICKLE; i++) {
        JsonObject dno = alert(2, i, 0, DNO_CODE);
        publish(hubs, "alerts/" + dno.getString("hubId"), dno.encode());
        if (i % (TRICKLE / FORWARDED) == 0) {
          JsonObject urgent = alert(3, i, 0, FORWARD_CODE);
          publish(hubs, "alerts/" + urgent.getString("hubId"), urgent.encode());
        }
        Thread.sleep(100);
      }
      int total = STORM + TRICKLE + FORWARDED;
      Await.until(() -> dsp.eventsOfType("alert") == total, Duration.ofMinutes(2),
          () -> dsp.eventsOfType("alert") + " of " + total + " alerts upstream; " + node.status().toJson().encode());
      hubs.disconnect();

      // The storm made the link congested: its last events waited seconds for it.
      List<JsonObject> storm = ofCode(arrivals, STORM_CODE);
      long stormWorst = storm.stream().mapToLong(e -> delay(e, arrivedAt)).max().orElseThrow();
      System.out.printf("fair share: storm of %d, worst wait %d ms; DNO worst wait %d ms; forward-mode worst %d ms%n",
          STORM, stormWorst, worst(arrivals, DNO_CODE, arrivedAt), worst(arrivals, FORWARD_CODE, arrivedAt));
      assertTrue(stormWorst >= 2000, "the storm's backlog took " + stormWorst + " ms to leave: not congested?");

      for (String code : List.of(DNO_CODE, FORWARD_CODE)) {
        for (JsonObject e : ofCode(arrivals, code)) {
          long queued = Instant.parse(e.getString("emittedAt")).toEpochMilli();
          long arrived = arrivedAt.get(e.getString("eventId"));
          long overtaken = storm.stream().filter(s -> emitted(s) < queued && arrivedAt.get(s.getString("eventId")) > arrived).count();
          long leftMeanwhile = storm.stream().filter(s -> arrivedAt.get(s.getString("eventId")) > queued
              && arrivedAt.get(s.getString("eventId")) < arrived).count();
          String what = code + " alert " + e.getString("eventId") + " waited " + (arrived - queued) + " ms; the storm's"
              + " worst wait " + stormWorst + " ms; " + overtaken + " storm events queued before it left after it, "
              + leftMeanwhile + " left while it waited";
          assertTrue(overtaken > 0, "it went ahead of the storm's backlog: " + what);
          // Its share with equal weights is one storm event ahead of it (plus the one in flight); FIFO would be
          // the whole backlog (hundreds). The slack is for millisecond timestamps on a loaded machine.
          assertTrue(leftMeanwhile <= 10, "within its share: " + what);
          assertTrue(arrived - queued <= stormWorst / 5, what);
        }
      }

      // FIFO within a recipient: each hub's events reached the DSP in the order its alerts were sent.
      Map<String, Long> lastCounter = new TreeMap<>();
      for (JsonObject e : storm) { // in the order of arrival
        Long before = lastCounter.put(e.getString("hubId"), e.getLong("originatorCounter"));
        assertTrue(before == null || before < e.getLong("originatorCounter"), "hub " + e.getString("hubId") + ": counter "
            + e.getLong("originatorCounter") + " after " + before);
      }
      assertEquals(STORM_HUBS, lastCounter.size());

      // Nothing dropped, and the accounting per recipient is exact.
      Await.until(() -> node.status().settled(), Duration.ofSeconds(30), () -> node.status().toJson().encode());
      JsonObject status = node.status().toJson();
      assertEquals(total, dsp.countedAlerts(), "every alert upstream, counted once: " + dsp.state());
      assertEquals(0, dsp.repeats());
      Map<String, Long> sent = new TreeMap<>();
      for (Object r : status.getJsonArray("recipients")) {
        JsonObject recipient = (JsonObject) r;
        sent.put(recipient.getString("name"), recipient.getLong("sent"));
        assertEquals(0, recipient.getInteger("waiting"));
      }
      long priority = status.getJsonObject("priorityLane").getLong("sent");
      assertEquals(Map.of("dno", (long) TRICKLE, "suppliers", (long) STORM), sent, status.encode());
      Await.until(() -> FORWARDED + heartbeats.get() == priority, Duration.ofSeconds(10),
          () -> "the priority lane sent " + priority + ": " + FORWARDED + " forward-mode alerts and " + heartbeats.get()
              + " heartbeats seen by the DSP");
      assertEquals(status.getJsonObject("events").getLong("delivered"), TRICKLE + STORM + priority,
          "every delivered event is counted for one queue");

      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertEquals(TRICKLE, sample(metrics, "csp_outbox_recipient_delay_seconds_count", "dno"), "a delay per DNO event");
      assertEquals(STORM, sample(metrics, "csp_outbox_recipient_sent_total", "suppliers"), "sent per recipient");
      assertEquals(0, sample(metrics, "csp_outbox_recipient_waiting", "suppliers"));
    }
  }

  /** The value of a metric's sample for one recipient, from the Prometheus text. */
  private static double sample(String metrics, String name, String recipient) {
    return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("recipient=\"" + recipient + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
        .orElseThrow(() -> new AssertionError(name + " for " + recipient + " not in /metrics"));
  }

  private static long worst(List<JsonObject> arrivals, String code, Map<String, Long> arrivedAt) {
    return ofCode(arrivals, code).stream().mapToLong(e -> delay(e, arrivedAt)).max().orElse(-1);
  }

  private static List<JsonObject> ofCode(List<JsonObject> arrivals, String code) {
    synchronized (arrivals) {
      return arrivals.stream().filter(e -> code.equals(e.getString("alertCode"))).toList();
    }
  }

  private static long emitted(JsonObject event) {
    return Instant.parse(event.getString("emittedAt")).toEpochMilli();
  }

  /** From the moment the node queued the event (its emittedAt) to its arrival at the DSP. */
  private static long delay(JsonObject event, Map<String, Long> arrivedAt) {
    return arrivedAt.get(event.getString("eventId")) - emitted(event);
  }

  private static JsonObject alert(int kind, int hub, int counter, String code) {
    String hubId = String.format("00-1B-C5-0C-%02X-00-%02X-%02X", kind, hub / 256, hub % 256);
    return new JsonObject().put("hubId", hubId).put("deviceId", hubId.replace("-0C-", "-0D-")).put("deviceType", "ESME")
        .put("alertCode", code).put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }

  private static void publish(MqttClient client, String topic, String payload) throws Exception {
    client.publish(topic, io.vertx.core.buffer.Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
