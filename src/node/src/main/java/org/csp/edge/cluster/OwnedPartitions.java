package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.csp.edge.alert.Eui64;

/**
 * Which hubs this member owns, and who the members are, as they stood when taken: for the chores that ask it of every
 * hub with an open share or in need of its owner (a sweep, a count for status), up to a million hubs at a time.
 *
 * <p>A hub whose id is an EUI-64 has its partition computed from its bits ({@link HubPartitions}), without the id's
 * text: a String and a serialisation per hub and sweep were the regional path's largest cost of its own
 * (src/bench/results/2026-12-06-regional-profile.md). Should the computation not agree with Hazelcast when taken,
 * every hub is asked of Hazelcast by its text, as before. Not thread-safe: one per chore.
 */
final class OwnedPartitions {
  private final PartitionService partitions;
  private final HazelcastInstance member;
  private final BitSet owned = new BitSet();
  private final int count;
  private final boolean computed;
  /** Every partition is this member's (a member alone): every hub is owned here, nothing to compute. */
  private final boolean all;
  private Set<String> memberIds;

  /** A member that is not (or no longer) running: owns nothing, and takes every member as alive (as {@link MemberView}). */
  static OwnedPartitions none() {
    return new OwnedPartitions(null);
  }

  OwnedPartitions(HazelcastInstance member) {
    this.member = member;
    this.partitions = member == null ? null : member.getPartitionService();
    int n = 0;
    if (partitions != null) {
      for (Partition p : partitions.getPartitions()) {
        Member owner = p.getOwner();
        if (owner != null && owner.localMember()) owned.set(p.getPartitionId());
        n++;
      }
    }
    this.count = n;
    this.all = n > 0 && owned.cardinality() == n;
    this.computed = all || partitions != null && HubPartitions.agree(partitions, count);
  }

  /** Whether the hub (its EUI-64's bits) is owned here. */
  boolean owns(long hub) {
    if (all) return true;
    if (partitions == null) return false;
    if (!computed) return owned.get(partitions.getPartition(Eui64.text(hub)).getPartitionId());
    return owned.get(partitionOf(hub));
  }

  /** Whether the hub is owned here; an id that is no EUI-64 in the wire form is asked of Hazelcast. */
  boolean owns(String hubId) {
    if (all) return true;
    if (partitions == null) return false;
    long hub = Eui64.packUpper(hubId);
    if (hub != Eui64.NOT_AN_ID && computed) return owned.get(partitionOf(hub));
    return owned.get(partitions.getPartition(hubId).getPartitionId());
  }

  /** Whether {@code memberUuid} is among the members (as {@link MemberView#isMember}, the members listed once). */
  boolean isMember(String memberUuid) {
    if (member == null) return true;
    if (memberIds == null) {
      memberIds = new HashSet<>();
      for (Member m : member.getCluster().getMembers()) memberIds.add(m.getUuid().toString());
    }
    return memberIds.contains(memberUuid);
  }

  /** The partition Hazelcast puts the hub's id (its wire text) in. */
  int partitionOf(long hub) {
    return HubPartitions.of(hub, count);
  }
}
