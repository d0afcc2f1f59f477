package org.csp.edge.policy;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.security.HttpTokens;

/** The callers of the policy tests: an admin and a client token in a tokens file, and hubs sending alerts. */
final class PolicyCallers {
  final String adminToken = HttpTokens.newToken();
  final String clientToken = HttpTokens.newToken();
  final Path tokensFile;

  PolicyCallers(Path dir) throws Exception {
    tokensFile = dir.resolve("http-tokens");
    Files.write(tokensFile, List.of("ops:admin:" + HttpTokens.digest(adminToken), "ci:client:" + HttpTokens.digest(clientToken)));
  }

  /** The security section every member gets: bearer tokens from the file. */
  JsonObject security() {
    return new JsonObject().put("http", new JsonObject().put("tokensFile", tokensFile.toString()));
  }

  ApiClient admin(int httpPort) {
    return new ApiClient("http://127.0.0.1:" + httpPort, adminToken, null, Duration.ofSeconds(20));
  }

  ApiClient client(int httpPort) {
    return new ApiClient("http://127.0.0.1:" + httpPort, clientToken, null, Duration.ofSeconds(20));
  }

  /** A policy document: {@code base} with {@code code} in {@code mode}. */
  static JsonObject withCode(JsonObject base, String code, String mode) {
    JsonObject doc = base.copy();
    doc.put("codes", doc.getJsonObject("codes", new JsonObject()).copy().put(code, new JsonObject().put("mode", mode)));
    return doc;
  }

  /** Sends alerts of one hub and code over MQTT QoS 1; returns once the node has acknowledged each (decided). */
  static void send(Vertx vertx, int mqttPort, String hubId, String code, int firstCounter, int count) throws Exception {
    MqttClient hub = MqttClient.create(vertx, new MqttClientOptions().setClientId("hub-" + System.nanoTime()));
    CountDownLatch acked = new CountDownLatch(count);
    hub.publishCompletionHandler(id -> acked.countDown());
    hub.connect(mqttPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < count; i++) {
      JsonObject alert = new JsonObject().put("hubId", hubId).put("deviceId", "00-1B-C5-0C-00-00-20-02")
          .put("deviceType", "ESME").put("alertCode", code).put("originatorCounter", firstCounter + i)
          .put("raisedAt", Instant.now().toString());
      hub.publish("alerts/" + hubId.toLowerCase(), alert.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    // The PUBACK, not the send, tells that the node decided the alert.
    if (!acked.await(10, TimeUnit.SECONDS)) throw new AssertionError(acked.getCount() + " alerts not acknowledged");
    hub.disconnect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
