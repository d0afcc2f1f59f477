package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.csp.edge.support.DspBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT transport through a real broker (Mosquitto, or the embedded one where it is not installed): every message
 * arrives, once.
 */
class BrokerTransportTest {
  private DspBroker broker;
  private Vertx vertx;

  @BeforeEach
  void startBroker() {
    broker = DspBroker.create().start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopBroker() throws Exception {
    if (vertx != null) Await.result(vertx.close(), 10);
    if (broker != null) broker.close();
  }

  @Test
  void everyMessageArrivesOnItsTopic() {
    List<SimMessage> messages = new MixScenario().generate(TestContexts.mqtt(99, 0.02));
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    MqttClient subscriber = MqttClient.create(vertx, new MqttClientOptions().setClientId("sim-test-sub")
      .setMaxMessageSize(4 * 1024 * 1024));
    subscriber.publishHandler(m -> received.add(m.topicName() + " " + m.payload().toString()));
    Await.result(subscriber.connect(broker.port(), "127.0.0.1"), 10);
    Await.result(subscriber.subscribe("alerts/#", 1), 10);

    SimOptions options = SimOptions.builder().mqttPort(broker.port()).connections(4).qos(1).quiet(true).build();
    SimReport report = Await.result(new StormSimulator(null).run(vertx, options, MessageSource.of(messages)), 60);

    assertTrue(report.complete(), report.toText());
    assertEquals(messages.stream().mapToLong(SimMessage::alertsSent).sum(), report.alertsSent());
    Await.until(() -> received.size() >= messages.size(), 30, "all messages at the subscriber");
    List<String> expected = new ArrayList<>(messages.stream().map(m -> m.topic() + " " + m.payloadText()).toList());
    List<String> got = new ArrayList<>(received);
    Collections.sort(expected);
    Collections.sort(got);
    assertEquals(expected, got);
    assertTrue(got.stream().anyMatch(s -> s.startsWith("alerts ")), "head-end batches on 'alerts'");
  }
}
