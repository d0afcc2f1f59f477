package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapPartitionLostEvent;
import com.hazelcast.map.listener.MapPartitionLostListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.security.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions of the hub state whose every copy was on members that left at once: more members than the map's backups
 * (design.md, "What can still be lost"). Hazelcast starts such a partition empty on its new owner; the hubs on it lose
 * their open storms and summaries, group shares, events not yet published and duplicate-header memory, and the DSP's
 * equation is short by what was open. The member that left says only that it left; this says what it cost, as an
 * error, counted ({@code csp_cluster_hub_partitions_lost_total}, {@code /v1/status} {@code hubPartitionsLost}).
 * Every member hears of every lost partition of the map.
 */
public final class LostHubPartitions implements MapPartitionLostListener {
  private static final Logger log = LoggerFactory.getLogger(LostHubPartitions.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final int partitions;
  private final int backups;
  private final LongAdder lost = new LongAdder();
  private final LogLimiter logs = new LogLimiter(LOG_INTERVAL_NANOS);

  private LostHubPartitions(int partitions, int backups) {
    this.partitions = partitions;
    this.backups = backups;
  }

  /** Listens to the hub map of {@code member}. */
  public static LostHubPartitions watch(HazelcastInstance member) {
    int backups = member.getConfig().getMapConfig(HubStateStore.MAP_NAME).getTotalBackupCount();
    LostHubPartitions watch = new LostHubPartitions(member.getPartitionService().getPartitions().size(), backups);
    member.getMap(HubStateStore.MAP_NAME).addPartitionLostListener(watch);
    return watch;
  }

  @Override
  public void partitionLost(MapPartitionLostEvent event) {
    lost.increment();
    // Members leaving together lose partitions in a burst: the first is logged at once, the rest summed up.
    long left = logs.admit(System.nanoTime());
    if (left < 0) return;
    log.error("hub state lost: partition {} of {} had every copy on members that left at once (more than the {} backup(s)"
        + " a hub has){}; its hubs start afresh: their open storms and summaries, group shares, events not yet published"
        + " and duplicate-header memory are gone, and the DSP's equation is short by what was open. {} partition(s) lost"
        + " since this member started (design.md, \"What can still be lost\"; NODE_HUB_BACKUPS)", event.getPartitionId(),
        partitions, backups, left > 0 ? " with " + left + " more since the last such line" : "", lost.sum());
  }

  /** Partitions of the hub state lost since this member started, as it heard of them. */
  public long lost() {
    return lost.sum();
  }
}
