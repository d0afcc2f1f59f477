package org.csp.edge.support;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** One ordinary alert from one hub over MQTT QoS 1, returned once the node has PUBACKed it (accounted for). */
public final class OneAlert {
  private OneAlert() {}

  public static void send(Vertx vertx, int mqttPort, String hubId) throws Exception {
    MqttClient hub = MqttClient.create(vertx, new MqttClientOptions().setClientId("hub-" + System.nanoTime()));
    hub.connect(mqttPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    JsonObject alert = new JsonObject().put("hubId", hubId).put("deviceId", "00-1B-C5-0C-00-00-20-02")
        .put("deviceType", "ESME").put("alertCode", "8F0F").put("originatorCounter", 7)
        .put("raisedAt", Instant.now().toString());
    hub.publish("alerts/" + hubId.toLowerCase(), alert.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    hub.disconnect();
  }
}
