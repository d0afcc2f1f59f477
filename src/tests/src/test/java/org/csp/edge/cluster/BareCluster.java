package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csp.edge.cluster.ClusterConfigs;

/**
 * Hazelcast members started bare (no Vert.x, no node) from the node's own cluster configuration,
 * cluster-config/local.xml: its map settings and each member's {@link OwnedHubs} registry, on loopback, under a
 * cluster name of their own. For tests of hub operations on a real cluster.
 */
final class BareCluster implements AutoCloseable {
  private static final long SETTLE_LIMIT_MS = 60_000;
  /** Safe, and every member owning partitions, for this long: the migrations are over. */
  private static final long SETTLED_FOR_MS = 1_000;
  private static final long POLL_MS = 50;
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
    // Safe once is not settled: just after the last join, before the master plans the rebalancing, the cluster is
    // safe with every partition still on the earlier members (a test's hubs then miss the last one), and it is safe
    // again between two steps of the migration.
    long deadline = System.currentTimeMillis() + SETTLE_LIMIT_MS;
    long settledSince = -1;
    while (System.currentTimeMillis() < deadline) {
      long now = System.currentTimeMillis();
      boolean settled = first.getPartitionService().isClusterSafe() && owners(first) == size;
      if (!settled) settledSince = -1;
      else if (settledSince < 0) settledSince = now;
      else if (now - settledSince >= SETTLED_FOR_MS) return cluster;
      Thread.sleep(POLL_MS);
    }
    throw new AssertionError("the partitions did not settle over " + size + " members, all with their backups, within "
        + SETTLE_LIMIT_MS + " ms: " + owners(first) + " members own partitions, safe "
        + first.getPartitionService().isClusterSafe());
  }

  /** How many members own partitions, as {@code member} sees the partition table. */
  private static long owners(HazelcastInstance member) {
    return member.getPartitionService().getPartitions().stream().map(Partition::getOwner).filter(Objects::nonNull)
        .distinct().count();
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
