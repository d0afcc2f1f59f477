package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.support.Await;
import org.csp.edge.support.LocalCluster;
import org.csp.edge.support.DspBroker;
import org.csp.edge.support.NodeProcess;
import org.junit.jupiter.api.Test;

/**
 * The multi-JVM harness itself: node JVMs form one cluster of their own, a SIGKILLed member is dropped while the
 * others stay ready, a new member joins, and SIGTERM stops a node cleanly. Logs: target/node-processes/&lt;cluster&gt;/.
 */
class ClusterProcessesTest {
  private static final Duration MEMBERSHIP = Duration.ofSeconds(45);

  @Test
  void nodeJvmsFormOneClusterSurviveACrashAndTakeANewMember() throws Exception {
    try (DspBroker broker = DspBroker.create().start(); LocalCluster cluster = LocalCluster.start(3, broker.url())) {
      for (NodeProcess n : cluster.running()) {
        assertEquals(n.name(), n.status().getString("nodeId"), "each JVM is the node it was configured as");
        assertTrue(n.status().getBoolean("upstreamConnected"), n.name() + " publishes to the shared broker");
      }

      NodeProcess crashed = cluster.node(2);
      assertEquals(137, crashed.kill(), "SIGKILL: 128 + 9");
      List<String> notReady = new ArrayList<>();
      Await.until(() -> {
        for (NodeProcess n : cluster.running()) {
          if (!n.ready()) notReady.add(n.name() + " " + n.health().encode());
        }
        return cluster.running().size() == 2 && cluster.running().stream().allMatch(n -> n.clusterMembers() == 2);
      }, MEMBERSHIP, () -> "the survivors drop the crashed member: " + cluster.describe());
      assertEquals(List.of(), notReady, "the survivors stay ready while the crashed member is dropped");

      NodeProcess fourth = cluster.add();
      assertEquals("node-4", fourth.name());
      cluster.awaitMembers(3, MEMBERSHIP);

      NodeProcess leaving = cluster.node(1);
      assertEquals(143, leaving.terminate(), "SIGTERM: the shutdown hook finishes, then 128 + 15");
      cluster.awaitMembers(2, MEMBERSHIP);
    }
  }
}
