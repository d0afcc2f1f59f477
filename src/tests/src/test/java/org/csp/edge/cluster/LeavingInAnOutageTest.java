package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.DspBroker;
import org.csp.edge.support.InJvmCluster;
import org.csp.edge.support.Mosquitto;
import org.junit.jupiter.api.Test;

/**
 * A member stopped (scaled down) while the DSP's broker is away: its hubs' events go with its hubs to the member that
 * stays, and what only it held, its final heartbeat with the duplicates and rejections of its boot, is handed over
 * too. Before, that heartbeat went with the member, and the DSP's equation from the feed stayed short for good (an
 * outside probe: 531 counted for 719 sent).
 */
class LeavingInAnOutageTest {
  @Test
  void aMemberLeavingDuringAnOutageHandsItsLastTotalsToTheMemberThatStays() throws Exception {
    Mosquitto.require("a broker restarted with the feed's persistent session");
    Vertx vertx = Vertx.vertx();
    try (DspBroker broker = DspBroker.create().start();
        InJvmCluster members = new InJvmCluster(broker.url()).start(2);
        DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      broker.stop();
      Node leaving = members.nodes().get(1);
      Await.until(() -> !leaving.status().upstreamConnected(), Duration.ofSeconds(20), () -> "still connected");

      // Two alerts, one header sent again (a duplicate), one input that is no alert (rejected).
      JsonObject a = alert("00-1B-C5-0C-00-00-51-01", 1);
      JsonArray batch = new JsonArray().add(a).add(alert("00-1B-C5-0C-00-00-51-02", 1)).add(a.copy())
          .add(new JsonObject().put("hubId", "00-1B-C5-0C-00-00-51-03"));
      MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setClientId("leaving-" + System.nanoTime()));
      client.connect(leaving.config().mqttPort(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.publish("alerts", batch.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Await.until(() -> leaving.status().toJson().getLong("received") == 4 && leaving.status().toJson().getLong("inProgress") == 0,
          Duration.ofSeconds(20), () -> leaving.status().toJson().encode());
      assertEquals(1, leaving.status().toJson().getLong("duplicates"));
      assertEquals(1, leaving.status().toJson().getLong("rejected"));
      client.disconnect();

      members.stop(leaving);
      broker.start();
      Await.until(() -> dsp.accounting().check(4).holds(), Duration.ofSeconds(40),
          () -> "from the feed alone: " + dsp.accounting().check(4).equation() + " " + dsp.accounting().check(4).rows());
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
    } finally {
      vertx.close();
    }
  }

  private static JsonObject alert(String hub, long counter) {
    return new JsonObject().put("hubId", hub).put("deviceId", hub.replace("-0C-", "-0D-")).put("deviceType", "ESME")
        .put("alertCode", "8F0F").put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
  }
}
