package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.OneAlert;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * A running node forgets a hub that sent nothing for its idle period (NODE_HUB_IDLE_SECONDS) and holds nothing, on its
 * sweeper's own clock: the heap does not keep every hub ever seen (src/docs/design.md, idle expiry).
 */
class IdleHubsTest {
  private static final String IDLE_SECONDS = "NODE_HUB_IDLE_SECONDS";
  private static final long IDLE_MILLIS = 2000;

  @Test
  void aHubThatSentNothingForItsIdlePeriodIsForgottenAndNotBefore() throws Exception {
    Vertx vertx = Vertx.vertx();
    Node node = null;
    // cluster-config/single.xml reads it from the environment, else from this property.
    System.setProperty(IDLE_SECONDS, Long.toString(IDLE_MILLIS / 1000));
    try {
      JsonObject config = TestNodes.config(null);
      node = TestNodes.start(config);
      Node n = node;
      long sent = System.nanoTime();
      OneAlert.send(vertx, config.getJsonObject("node").getInteger("mqttPort"), "00-1B-C5-0C-00-00-30-01");
      Await.until(() -> n.status().toJson().getLong("hubsWithEventsWaiting") == 0
          && n.status().toJson().getJsonObject("events").getLong("delivered") >= 1, Duration.ofSeconds(10),
          () -> "the forwarded alert was never delivered and receipted");
      assertEquals(1, n.status().toJson().getLong("hubsTracked"), "the hub is tracked after its alert");
      Await.until(() -> n.status().toJson().getLong("hubsTracked") == 0, Duration.ofSeconds(15),
          () -> "the idle hub is still tracked");
      long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertTrue(after >= IDLE_MILLIS, "forgotten after " + after + " ms, before its idle period of " + IDLE_MILLIS);
    } finally {
      System.clearProperty(IDLE_SECONDS);
      TestNodes.stop(node);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
