package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.BitSet;

/**
 * What this member knows of the cluster, as the owner's chores ask it: whether it owns a hub, who the members are,
 * whether it is the oldest. Before it joined and after it left it answers as a member alone that owns nothing, so
 * a stopped node's status stays readable.
 */
public final class MemberView {
  private volatile HazelcastInstance member;
  /** The partitions this member owned at the last look ({@link #partitionsChanged}); touched by the sweeper only. */
  private BitSet ownedPartitions = new BitSet();

  public void joined(HazelcastInstance instance) {
    this.member = instance;
  }

  /** The member, or null before it joined and after it left. */
  private HazelcastInstance live() {
    HazelcastInstance m = member;
    return m != null && m.getLifecycleService().isRunning() ? m : null;
  }

  public boolean owns(String hubId) {
    HazelcastInstance m = live();
    if (m == null) return false;
    Partition p = m.getPartitionService().getPartition(hubId);
    Member owner = p.getOwner();
    return owner != null && owner.localMember();
  }

  /** Which hubs this member owns, and who the members are, now: for asking it of many hubs at once. */
  OwnedPartitions ownership() {
    HazelcastInstance m = live();
    return m == null ? OwnedPartitions.none() : new OwnedPartitions(m);
  }

  public boolean isMember(String memberUuid) {
    HazelcastInstance m = live();
    if (m == null) return true;
    for (Member each : m.getCluster().getMembers()) if (each.getUuid().toString().equals(memberUuid)) return true;
    return false;
  }

  public String memberId() {
    HazelcastInstance m = live();
    return m == null ? "local" : m.getCluster().getLocalMember().getUuid().toString();
  }

  public int members() {
    HazelcastInstance m = live();
    return m == null ? 1 : Math.max(1, m.getCluster().getMembers().size());
  }

  /** The members' addresses, oldest first, this member's marked " (this member)": the console's live page. */
  public java.util.List<String> memberAddresses() {
    HazelcastInstance m = live();
    if (m == null) return java.util.List.of();
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Member each : m.getCluster().getMembers()) {
      out.add(each.getAddress().getHost() + ":" + each.getAddress().getPort() + (each.localMember() ? " (this member)" : ""));
    }
    return out;
  }

  /** The oldest member runs cluster-wide chores (re-indexing after a membership change) so they run once. */
  public boolean oldest() {
    HazelcastInstance m = live();
    return m != null && m.getCluster().getMembers().iterator().next().localMember();
  }

  /**
   * Whether the partitions this member owns changed since the last call (asked once per sweep): walking every
   * announced hub to hash its id is only worth doing then. One look at each partition's owner, no key hashed.
   */
  boolean partitionsChanged() {
    HazelcastInstance m = live();
    if (m == null) return false;
    BitSet now = new BitSet();
    for (Partition p : m.getPartitionService().getPartitions()) {
      Member owner = p.getOwner();
      if (owner != null && owner.localMember()) now.set(p.getPartitionId());
    }
    boolean changed = !now.equals(ownedPartitions);
    ownedPartitions = now;
    return changed;
  }
}
