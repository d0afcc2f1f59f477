package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Members that keep different numbers of backups of each hub are told apart: each declares its NODE_HUB_BACKUPS.
 * Before, a member that joined with 0 was taken without a word, and its death lost its hubs silently (1,254
 * acknowledged alerts in the probe).
 */
class HubCopiesTest {
  @Test
  void aMemberKeepingFewerBackupsIsNamedByTheOthers() throws Exception {
    System.setProperty("NODE_CLUSTER_NAME", "hub-copies-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    Config one;
    Config none;
    Config oneAgain;
    try {
      one = configWith("1");
      none = configWith("0");
      oneAgain = configWith("1");
    } finally {
      System.clearProperty("NODE_CLUSTER_NAME");
    }
    HazelcastInstance a = Hazelcast.newHazelcastInstance(one);
    HazelcastInstance b = null;
    HazelcastInstance c = null;
    try {
      c = Hazelcast.newHazelcastInstance(oneAgain);
      BareCluster.awaitMembers(a, 2);
      assertEquals(List.of(), HubCopies.disagreeing(a.getCluster().getLocalMember(), a.getCluster().getMembers()),
          "members that agree");
      b = Hazelcast.newHazelcastInstance(none);
      BareCluster.awaitMembers(a, 3);
      List<String> seenByA = HubCopies.disagreeing(a.getCluster().getLocalMember(), a.getCluster().getMembers());
      assertEquals(1, seenByA.size(), seenByA.toString());
      assertTrue(seenByA.get(0).endsWith("keeps 0"), seenByA.toString());
      assertEquals(2, HubCopies.disagreeing(b.getCluster().getLocalMember(), b.getCluster().getMembers()).size(),
          "the member keeping fewer sees both others");
    } finally {
      for (HazelcastInstance m : new HazelcastInstance[] {b, c, a}) if (m != null) m.getLifecycleService().terminate();
    }
  }

  private static Config configWith(String backups) {
    System.setProperty("NODE_HUB_BACKUPS", backups);
    try {
      return ClusterConfigs.clusterManager("cluster-config/local.xml", Map.of(OwnedHubs.USER_CONTEXT_KEY, new OwnedHubs()))
          .getConfig();
    } finally {
      System.clearProperty("NODE_HUB_BACKUPS");
    }
  }
}
