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

  /**
   * Whether the hub's partition has, in this member's partition table, each synchronous backup the hub map asks for
   * (as far as there are other members), every one on a member still in the list. An operation on a partition that
   * lacks one completes without waiting for it: so it does in the moment a member cut off has dropped one of the
   * others but not yet the last (the heartbeat timeouts end a moment apart), when it still counts a quorum and the
   * partitions that were backed up on the member it dropped have no backup (seen in SplitBrainWindowTest: summaries
   * held in the window released then, 451 counted upstream for 440 acknowledged). Also while partitions migrate.
   */
  boolean backedUp(String hubId) {
    HazelcastInstance m = live();
    if (m == null) return false;
    com.hazelcast.instance.impl.HazelcastInstanceImpl impl = m instanceof com.hazelcast.instance.impl.HazelcastInstanceProxy proxy
        ? proxy.getOriginal() : m instanceof com.hazelcast.instance.impl.HazelcastInstanceImpl i ? i : null;
    if (impl == null) return true; // not a member of this JVM's making: nothing to look at
    com.hazelcast.internal.cluster.ClusterService cluster = impl.node.getClusterService();
    com.hazelcast.internal.partition.InternalPartitionService partitions = impl.node.getPartitionService();
    int wanted = Math.min(m.getConfig().getMapConfig(HubStateStore.MAP_NAME).getBackupCount(), cluster.getSize() - 1);
    com.hazelcast.internal.partition.InternalPartition partition = partitions.getPartition(partitions.getPartitionId(hubId));
    for (int i = 1; i <= wanted; i++) {
      com.hazelcast.internal.partition.PartitionReplica replica = partition.getReplica(i);
      if (replica == null || cluster.getMember(replica.address(), replica.uuid()) == null) return false;
    }
    return true;
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

  /** The members as this member sees them now (none before it joined). */
  java.util.Collection<Member> memberList() {
    HazelcastInstance m = live();
    return m == null ? java.util.List.of() : m.getCluster().getMembers();
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
