package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.OneAlert;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * A DSP broker that hangs with its connections open (SIGSTOP: as a hung broker, or a path that drops every packet):
 * TCP says nothing, so only the PUBACKs that do not come can. Before, the node kept the connection, sent again on
 * it every ackTimeout and said it was connected (an outside probe: still so after 100 s), so no alert on
 * csp_upstream_connected fired. Now it leaves the connection, says so, and once the broker answers again the feed
 * resumes with every count.
 */
class HungBrokerTest {
  private static final String HUB = "00-1B-C5-0C-00-00-41-01";

  @Test
  void aBrokerThatStopsAnsweringIsLeftAndTheFeedResumesWhenItAnswersAgain() throws Exception {
    Mosquitto.require("a broker that hangs (SIGSTOP)");
    Vertx vertx = Vertx.vertx();
    Node node = null;
    try (Mosquitto broker = new Mosquitto().start();
        DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      JsonObject config = TestNodes.config(broker.url());
      config.getJsonObject("upstream").put("ackTimeout", "2s");
      config.getJsonObject("node").put("heartbeatInterval", "1s");
      node = TestNodes.start(config);
      Node running = node;
      Await.until(() -> running.status().toJson().getBoolean("upstreamConnected"), Duration.ofSeconds(10),
          () -> running.status().toJson().encode());

      broker.freeze();
      try {
        OneAlert.send(vertx, node.config().mqttPort(), HUB); // forwarded: an event waiting for a PUBACK that will not come
        Await.until(() -> !running.status().toJson().getBoolean("upstreamConnected")
                && running.status().toJson().getLong("upstreamConnectionsLost") >= 1, Duration.ofSeconds(20),
            () -> "still says connected to a hung broker: " + running.status().toJson().encode());
      } finally {
        broker.thaw();
      }
      Await.until(() -> running.status().toJson().getBoolean("upstreamConnected") && running.status().settled()
          && dsp.countedAlerts() == 1, Duration.ofSeconds(30), () -> dsp.all() + "; " + running.status().toJson().encode());
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeat carries the same count");
      assertEquals(0, running.status().toJson().getLong("deadLettered"), "a hung broker is no event's fault");
    } finally {
      TestNodes.stop(node);
      vertx.close();
    }
  }
}
