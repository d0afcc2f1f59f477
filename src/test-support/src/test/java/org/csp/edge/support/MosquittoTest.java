package org.csp.edge.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tests' broker keeps a persistent session across a SIGTERM and a restart, as the outage and failover tests
 * assume. It did not when Mosquitto, started as root, dropped to a user that could not write its directory: the
 * persistence database was never written, and a subscriber's events published before it reconnected were lost.
 */
class MosquittoTest {

  @Test
  void aPersistentSessionSurvivesARestartWithWhatWasPublishedMeanwhile() throws Exception {
    Mosquitto.require("this tests Mosquitto's own persistence");
    Vertx vertx = Vertx.vertx();
    try (Mosquitto broker = new Mosquitto()) {
      broker.start();
      MqttClientOptions persistent = new MqttClientOptions().setClientId("dsp-" + System.nanoTime()).setCleanSession(false);
      MqttClient subscriber = MqttClient.create(vertx, persistent);
      CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
      subscriber.publishHandler(m -> received.add(m.payload().toString()));
      await(subscriber.connect(broker.port(), "127.0.0.1"));
      await(subscriber.subscribe("dsp/#", 1));
      await(subscriber.disconnect()); // offline from here: what is published is queued for its session

      broker.stop();
      assertTrue(Files.isRegularFile(broker.dir().resolve("mosquitto.db")), "the persistence database was written");
      broker.start();
      MqttClient node = MqttClient.create(vertx, new MqttClientOptions().setClientId("node-" + System.nanoTime()));
      await(node.connect(broker.port(), "127.0.0.1"));
      await(node.publish("dsp/north/alert/8F3E", Buffer.buffer("while away"), MqttQoS.AT_LEAST_ONCE, false, false));
      await(node.disconnect());

      MqttClient again = MqttClient.create(vertx, persistent);
      again.publishHandler(m -> received.add(m.payload().toString()));
      await(again.connect(broker.port(), "127.0.0.1"));
      Await.until(() -> received.contains("while away"), java.time.Duration.ofSeconds(10),
          () -> "the session's queued event never came; received " + received);
      await(again.disconnect());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
