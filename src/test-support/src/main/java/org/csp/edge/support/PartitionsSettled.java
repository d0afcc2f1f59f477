package org.csp.edge.support;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.Objects;

/**
 * Waits until a cluster's partitions have settled over all its members: safe (every partition has its backups) and
 * every member owning partitions, both held for {@link #SETTLED_FOR_MS}. Safe once is not settled: just after the
 * last join, before the master plans the rebalancing, the cluster is safe with every partition still on the earlier
 * members (a test's hubs then miss the last one), and it is safe again between two steps of the migration.
 */
public final class PartitionsSettled {
  private static final long SETTLE_LIMIT_MS = 60_000;
  private static final long SETTLED_FOR_MS = 1_000;
  private static final long POLL_MS = 50;

  private PartitionsSettled() {}

  /** As {@code member} sees the cluster; fails the test if it does not settle over {@code size} members in time. */
  public static void await(HazelcastInstance member, int size) throws InterruptedException {
    long deadline = System.currentTimeMillis() + SETTLE_LIMIT_MS;
    long settledSince = -1;
    while (System.currentTimeMillis() < deadline) {
      long now = System.currentTimeMillis();
      boolean settled = member.getCluster().getMembers().size() == size && member.getPartitionService().isClusterSafe()
          && owners(member) == size;
      if (!settled) settledSince = -1;
      else if (settledSince < 0) settledSince = now;
      else if (now - settledSince >= SETTLED_FOR_MS) return;
      Thread.sleep(POLL_MS);
    }
    throw new AssertionError("the partitions did not settle over " + size + " members, all with their backups, within "
        + SETTLE_LIMIT_MS + " ms: " + owners(member) + " members own partitions, safe "
        + member.getPartitionService().isClusterSafe());
  }

  /** How many members own partitions, as {@code member} sees the partition table. */
  private static long owners(HazelcastInstance member) {
    return member.getPartitionService().getPartitions().stream().map(Partition::getOwner).filter(Objects::nonNull)
        .distinct().count();
  }
}
