package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.OneAlert;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's PUBACKs go back to the hubs on their own clock ({@code node.receiptInterval}), not with the sweep:
 * a forwarded alert stops waiting in its hub's state soon after the broker took it, even when no sweep runs.
 */
class ReceiptIntervalTest {
  private static final Duration NO_SWEEP = Duration.ofMinutes(10);
  private Vertx vertx;
  private Node node;
  private DspFeed dsp;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (dsp != null) dsp.close();
    TestNodes.stop(node);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDeliveredAlertStopsWaitingWithinTheReceiptIntervalWithoutASweep() throws Exception {
    forwardOneAlert("20ms");
    Await.until(() -> waiting() == 0, Duration.ofSeconds(2),
        () -> waiting() + " hubs still wait for a receipt the broker already gave");
  }

  @Test
  void withReceiptsOnALongClockTheDeliveredAlertKeepsWaiting() throws Exception {
    forwardOneAlert(NO_SWEEP.toMillis() + "ms");
    Thread.sleep(1000);
    assertEquals(1, waiting(), "the control: without a receipt flush the event stays kept in the hub's state");
  }

  private void forwardOneAlert(String receiptInterval) throws Exception {
    JsonObject config = TestNodes.config(null);
    config.getJsonObject("node").put("sweepInterval", NO_SWEEP.toMillis() + "ms").put("receiptInterval", receiptInterval);
    node = TestNodes.start(config);
    dsp = new DspFeed(vertx, "127.0.0.1", node.upstreamPort(), "dsp/north/#");
    dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    OneAlert.send(vertx, config.getJsonObject("node").getInteger("mqttPort"), "00-1B-C5-0C-00-00-20-01");
    Await.until(() -> dsp.all().stream().anyMatch(e -> "alert".equals(e.getString("type"))), Duration.ofSeconds(10),
        () -> "the alert never reached the upstream broker");
    Await.until(() -> node.status().toJson().getJsonObject("events").getLong("delivered") >= 1, Duration.ofSeconds(10),
        () -> "the broker's PUBACK never reached the node");
  }

  private long waiting() {
    return node.status().toJson().getLong("hubsWithEventsWaiting");
  }
}
