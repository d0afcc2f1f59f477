package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.HashUtil;
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
 * <p>Hazelcast finds a key's partition by serialising it and hashing the bytes (MurmurHash3 of the String's length
 * and UTF-8 bytes). For a hub whose id is an EUI-64 those bytes follow from its 64 bits, so its partition is computed
 * here without the id's text: a String and a serialisation per hub and sweep were the regional path's largest cost
 * of its own (src/bench/results/2026-12-06-regional-profile.md). The computation is checked against Hazelcast's own
 * answer for a few ids when taken; should they ever differ (another serialisation or partitioning strategy), every
 * hub is asked of Hazelcast by its text, as before. Not thread-safe: one per chore.
 */
final class OwnedPartitions {
  /** Ids checked against Hazelcast's own answer when taken. */
  private static final long[] PROBES = {0L, 0x0123456789ABCDEFL, 0x70B3D5FFFE00A1B2L, 0xFFFFFFFFFFFFFFFEL};
  private static final int TEXT_LENGTH = 23;

  private final PartitionService partitions;
  private final HazelcastInstance member;
  private final BitSet owned = new BitSet();
  private final int count;
  private final boolean computed;
  /** The serialised id: its length (an int, big-endian) then its ASCII characters. */
  private final byte[] serialised = new byte[4 + TEXT_LENGTH];
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
    serialised[3] = TEXT_LENGTH;
    this.computed = partitions != null && agrees();
  }

  private boolean agrees() {
    for (long probe : PROBES) {
      if (partitionOf(probe) != partitions.getPartition(Eui64.text(probe)).getPartitionId()) return false;
    }
    return true;
  }

  /** Whether the hub (its EUI-64's bits) is owned here. */
  boolean owns(long hub) {
    if (partitions == null) return false;
    if (!computed) return owned.get(partitions.getPartition(Eui64.text(hub)).getPartitionId());
    return owned.get(partitionOf(hub));
  }

  /** Whether the hub is owned here; an id that is no EUI-64 in the wire form is asked of Hazelcast. */
  boolean owns(String hubId) {
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
    int at = 4;
    for (int shift = 60; shift >= 0; shift -= 4) {
      int digit = (int) (hub >>> shift) & 0xF;
      serialised[at++] = (byte) (digit < 10 ? '0' + digit : 'A' + digit - 10);
      if (shift % 8 == 0 && shift > 0) serialised[at++] = '-';
    }
    return HashUtil.hashToIndex(HashUtil.MurmurHash3_x86_32(serialised, 0, serialised.length), count);
  }
}
