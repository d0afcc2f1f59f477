package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.sim.TransportKind;
import org.csp.edge.support.Await;
import org.csp.edge.support.ContractSchemas;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message the node publishes northbound, in every simulator scenario, keeps the contract's machine-readable
 * form (src/docs/schemas, asyncapi.yaml): each event against the schema of its type, on its type's topic, the
 * heartbeats (the final one too) and the retained online and offline status included. A change to what the node
 * emits that breaks contract revision 2 fails here. (Earlier nodes' retained status messages arrive too: checked as well.)
 */
class ContractEventsEndToEndTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final String PREFIX = "dsp/north/";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ContractSchemas schemas = new ContractSchemas();

  private record Message(String topic, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"healthy", "gpf-8f3e", "voltage", "power-restore", "counter-resend", "bad-input"})
  void everyNorthboundMessageKeepsTheContract(String scenario) throws Exception {
    JsonObject config = TestNodes.config(upstream.broker().url());
    config.getJsonObject("node").put("heartbeatInterval", "1s");
    List<Message> feed = new CopyOnWriteArrayList<>();
    MqttClient dsp = MqttClient.create(upstream.vertx(), new MqttClientOptions().setClientId("contract-" + System.nanoTime())
        .setMaxMessageSize(1024 * 1024));
    dsp.publishHandler(m -> feed.add(new Message(m.topicName(), m.payload().getBytes())));
    dsp.connect(upstream.broker().port(), "127.0.0.1").compose(ack -> dsp.subscribe(PREFIX + "#", MqttQoS.AT_LEAST_ONCE.value()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Node node = TestNodes.start(config);
    try {
      SimOptions options = SimOptions.builder().transport(TransportKind.MQTT).host("127.0.0.1")
          .mqttPort(config.getJsonObject("node").getInteger("mqttPort"))
          .httpBaseUrl("http://127.0.0.1:" + node.httpPort())
          .scenario(scenario)
          .scale(scenario.equals("power-restore") ? 1.0 : 0.1) // a regional burst needs breadth to show
          .seed(scenario.hashCode()).quiet(true)
          .ratePerSecond(scenario.equals("healthy") ? TestNodes.HEALTHY_RATE : 0)
          .build();
      SimReport sent = new StormSimulator().run(upstream.vertx(), options).toCompletionStage().toCompletableFuture()
          .get(3, TimeUnit.MINUTES);
      Await.until(() -> node.status().settled(), WAIT, () -> node.status().toJson().encodePrettily());
      long expectedUpstream = sent.alertsSent() - node.status().toJson().getLong("duplicates")
          - node.status().toJson().getLong("rejected");
      Await.until(() -> counted(feed) >= expectedUpstream, WAIT, () -> "counted " + counted(feed) + " of " + expectedUpstream);
    } finally {
      TestNodes.stop(node);
    }
    // A clean stop sends the boot's final heartbeat and the retained offline status.
    Await.until(() -> has(feed, "/heartbeat", "\"final\":true") && has(feed, "/status", "\"offline\""), WAIT,
        () -> feed.size() + " messages, none final or offline");
    dsp.disconnect();

    Map<String, Integer> byType = new TreeMap<>();
    List<String> broken = new ArrayList<>();
    for (Message m : feed) {
      List<String> problems = new ArrayList<>(schemas.northboundProblems(m.topic(), m.payload()));
      JsonObject json = new JsonObject(m.text());
      String type = m.topic().endsWith("/status") ? "status" : json.getString("type");
      String expectedTopic = expectedTopic(type, json);
      if (!m.topic().equals(expectedTopic)) problems.add("topic " + m.topic() + ", expected " + expectedTopic);
      if (!problems.isEmpty()) broken.add(m.topic() + " " + m.text() + " -> " + problems);
      byType.merge(type, 1, Integer::sum);
    }
    System.out.println(scenario + ": northbound messages by type " + byType);
    assertEquals(List.of(), broken.stream().limit(10).toList(), broken.size() + " messages break the contract");
    assertTrue(byType.getOrDefault("heartbeat", 0) >= 1 && byType.getOrDefault("status", 0) >= 2, byType.toString());
    switch (scenario) {
      case "gpf-8f3e", "voltage" -> assertTrue(byType.containsKey("summary") && byType.containsKey("storm-start")
          && byType.containsKey("storm-end"), "a storm's events were checked: " + byType);
      case "power-restore" -> assertTrue(byType.containsKey("group"), "a regional burst's groups were checked: " + byType);
      default -> assertTrue(byType.containsKey("alert"), byType.toString());
    }
  }

  /** The topic the AsyncAPI document gives the message's type. */
  private static String expectedTopic(String type, JsonObject m) {
    return switch (type) {
      case "alert", "summary", "group" -> PREFIX + type + "/" + m.getString("alertCode");
      case "storm-start", "storm-end" -> PREFIX + "storm";
      case "digest" -> PREFIX + "digest/" + m.getString("recipient");
      case "heartbeat" -> PREFIX + "node/" + m.getString("nodeId") + "/heartbeat";
      case "status" -> PREFIX + "node/" + m.getString("nodeId") + "/status";
      default -> "(no topic for type " + type + ")";
    };
  }

  private static long counted(List<Message> feed) {
    Map<String, Integer> byId = new TreeMap<>();
    for (Message m : feed) {
      JsonObject e = new JsonObject(m.text());
      if (e.getString("eventId") != null) byId.putIfAbsent(e.getString("eventId"), e.getInteger("count", 0));
    }
    return byId.values().stream().mapToLong(Integer::longValue).sum();
  }

  private static boolean has(List<Message> feed, String topicEnd, String text) {
    return feed.stream().anyMatch(m -> m.topic().endsWith(topicEnd) && m.text().contains(text));
  }
}
