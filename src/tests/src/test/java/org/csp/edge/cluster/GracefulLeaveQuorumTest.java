package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.support.LocalCluster;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.OneAlert;
import org.junit.jupiter.api.Test;

/**
 * operations.md, "Quorum": members that stop on purpose say so first and keep counting towards the quorum. With two
 * members and a quorum of two (the chart's replicas 2), each step of a rollout stops one: the other must stay ready
 * and go on taking alerts. Seen from outside, the member left behind lost its quorum at once: its listener for the
 * announcements was registered only when the leaving member first wrote one, and could miss that very write.
 */
class GracefulLeaveQuorumTest {
  private static final Duration MEMBERSHIP = Duration.ofSeconds(60);
  /** Longer than the heartbeat tolerance (5 s): a member not counted would have lost its quorum by then. */
  private static final Duration AFTER_THE_LEAVE = Duration.ofSeconds(8);
  private static final int ROUNDS = 3;

  @Test
  void aMemberThatStopsOnPurposeKeepsCountingForTheOneLeftBehind() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LocalCluster cluster = LocalCluster.start(2, null, Map.of("NODE_CLUSTER_QUORUM", "2"))) {
      for (int round = 1; round <= ROUNDS; round++) {
        NodeProcess staying = cluster.running().get(0);
        NodeProcess leaving = cluster.running().get(1);
        OneAlert.send(vertx, leaving.mqttPort(), String.format("00-1B-C5-0C-00-00-9%d-01", round));
        assertEquals(143, leaving.terminate(), "SIGTERM: a clean stop");
        Thread.sleep(AFTER_THE_LEAVE.toMillis());
        assertTrue(staying.ready(), "round " + round + ": the member left behind is still ready: " + staying.health().encode()
            + "; log: " + staying.logTail(20));
        OneAlert.send(vertx, staying.mqttPort(), String.format("00-1B-C5-0C-00-00-9%d-02", round));
        if (round < ROUNDS) {
          cluster.add();
          cluster.awaitMembers(2, MEMBERSHIP);
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
