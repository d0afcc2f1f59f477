package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The MQTT transport through a real broker, when Mosquitto is installed: every message arrives, once. */
class MosquittoTransportTest {

  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

  private Process broker;
  private Path config;
  private Vertx vertx;

  @BeforeEach
  void startBroker() throws Exception {
    assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    config = Files.createTempFile("sim-mosquitto", ".conf");
    Files.writeString(config, String.join("\n",
      "listener " + port + " 127.0.0.1",
      "allow_anonymous true",
      "persistence false",
      "max_queued_messages 0",
      ""));
    broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
      .redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.DISCARD)
      .start();
    Await.until(() -> accepts(port), 10, "mosquitto listening on " + port);
    this.port = port;
    vertx = Vertx.vertx();
  }

  private int port;

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @AfterEach
  void stopBroker() throws Exception {
    if (vertx != null) {
      Await.result(vertx.close(), 10);
    }
    if (broker != null) {
      broker.destroy();
      broker.waitFor();
    }
    if (config != null) {
      Files.deleteIfExists(config);
    }
  }

  @Test
  void everyMessageArrivesOnItsTopic() {
    List<SimMessage> messages = new MixScenario().generate(TestContexts.mqtt(99, 0.02));
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    MqttClient subscriber = MqttClient.create(vertx, new MqttClientOptions().setClientId("sim-test-sub")
      .setMaxMessageSize(4 * 1024 * 1024));
    subscriber.publishHandler(m -> received.add(m.topicName() + " " + m.payload().toString()));
    Await.result(subscriber.connect(port, "127.0.0.1"), 10);
    Await.result(subscriber.subscribe("alerts/#", 1), 10);

    SimOptions options = SimOptions.builder().mqttPort(port).connections(4).qos(1).quiet(true).build();
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
