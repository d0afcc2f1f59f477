package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.cluster.ClusterConfigs;
import org.csp.edge.support.PartitionsSettled;

/**
 * Hazelcast members started bare (no Vert.x, no node) from the node's own cluster configuration,
 * cluster-config/local.xml: its map settings and each member's {@link OwnedHubs} registry, on loopback, under a
 * cluster name of their own. For tests of hub operations on a real cluster.
 */
final class BareCluster implements AutoCloseable {
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<OwnedHubs> registries = new ArrayList<>();

  private BareCluster() {}

  /**
   * Starts {@code size} members and waits until every partition has its backups. {@code placeholders} fill the
   * configuration's {@code ${NAME:default}} placeholders (as system properties, only while it is read, so that no
   * other test's cluster sees them); {@code properties} are Hazelcast properties on top.
   */
  static BareCluster start(String name, int size, Map<String, String> placeholders, Map<String, String> properties)
      throws InterruptedException {
    System.setProperty("NODE_CLUSTER_NAME", name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    BareCluster cluster = new BareCluster();
    List<Config> configs = new ArrayList<>();
    placeholders.forEach(System::setProperty);
    try {
      for (int i = 0; i < size; i++) {
        OwnedHubs owned = new OwnedHubs();
        Config config = ClusterConfigs.clusterManager("cluster-config/local.xml", Map.of(OwnedHubs.USER_CONTEXT_KEY, owned))
            .getConfig();
        // A killed member is declared dead after 5 s without heartbeats instead of 60: tests wait for that.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        properties.forEach(config::setProperty);
        configs.add(config);
        cluster.registries.add(owned);
      }
    } finally {
      placeholders.keySet().forEach(System::clearProperty);
    }
    for (int i = 0; i < size; i++) {
      HazelcastInstance m = Hazelcast.newHazelcastInstance(configs.get(i));
      cluster.registries.get(i).joined(m);
      cluster.members.add(m);
    }
    HazelcastInstance first = cluster.members.get(0);
    awaitMembers(first, size);
    PartitionsSettled.await(first, size);
    return cluster;
  }

  /** The members still running, in start order; a test that kills one removes it. */
  List<HazelcastInstance> members() {
    return members;
  }

  /** The registry of the {@code i}-th member started. */
  OwnedHubs registry(int i) {
    return registries.get(i);
  }

  /** Waits until {@code member} sees {@code size} members (after members died: until it has noticed). */
  static void awaitMembers(HazelcastInstance member, int size) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (member.getCluster().getMembers().size() != size && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertEquals(size, member.getCluster().getMembers().size(), size + " members");
  }

  @Override
  public void close() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }
}
