package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * How long a member may go unheard and still count towards the quorum reaches the members
 * (cluster-config/kubernetes.xml reads NODE_CLUSTER_HEARTBEAT_TOLERANCE), and one that cannot exceed the heartbeat
 * interval of 1 s fails the install instead of every pod's start.
 */
class HeartbeatToleranceTest {
  @Test
  void theToleranceReachesTheMembers() {
    assertEquals("5", ChartRender.region("central").env("NODE_CLUSTER_HEARTBEAT_TOLERANCE"), "five heartbeats unless asked");
    assertEquals("3", ChartRender.region("central", "clusterHeartbeatTolerance=3").env("NODE_CLUSTER_HEARTBEAT_TOLERANCE"));
  }

  @Test
  void aToleranceNotAboveTheHeartbeatIntervalFailsTheInstall() {
    Exception one = assertThrows(IllegalStateException.class,
        () -> ChartRender.region("central", "clusterHeartbeatTolerance=1"));
    assertTrue(one.getMessage().contains("clusterHeartbeatTolerance"), one.getMessage());
  }
}
