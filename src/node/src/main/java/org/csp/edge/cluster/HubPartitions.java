package org.csp.edge.cluster;

import com.hazelcast.internal.util.HashUtil;
import com.hazelcast.partition.PartitionService;
import org.csp.edge.alert.Eui64;

/**
 * The partition Hazelcast puts a hub's id in, computed from the id's EUI-64 bits. Hazelcast serialises a String key
 * (its UTF-8 length as a big-endian int, then its bytes) and takes MurmurHash3 of those bytes modulo the partition
 * count; for an EUI-64 in the wire form the bytes follow from its 64 bits, so neither the id's text nor its
 * serialisation is made. Callers check {@link #agree} once before they rely on it (another serialisation or
 * partitioning strategy would make it differ), and ask Hazelcast otherwise.
 */
final class HubPartitions {
  /** Ids checked against Hazelcast's own answer. */
  private static final long[] PROBES = {0L, 0x0123456789ABCDEFL, 0x70B3D5FFFE00A1B2L, 0xFFFFFFFFFFFFFFFEL};
  private static final int TEXT_LENGTH = 23;

  private HubPartitions() {}

  /** Whether {@link #of} gives Hazelcast's own answer on this member. */
  static boolean agree(PartitionService partitions, int partitionCount) {
    for (long probe : PROBES) {
      if (of(probe, partitionCount) != partitions.getPartition(Eui64.text(probe)).getPartitionId()) return false;
    }
    return true;
  }

  /** The partition of the hub whose id is the wire form of {@code hub}'s bits. */
  static int of(long hub, int partitionCount) {
    byte[] serialised = new byte[4 + TEXT_LENGTH];
    serialised[3] = TEXT_LENGTH;
    int at = 4;
    for (int shift = 60; shift >= 0; shift -= 4) {
      int digit = (int) (hub >>> shift) & 0xF;
      serialised[at++] = (byte) (digit < 10 ? '0' + digit : 'A' + digit - 10);
      if (shift % 8 == 0 && shift > 0) serialised[at++] = '-';
    }
    return HashUtil.hashToIndex(HashUtil.MurmurHash3_x86_32(serialised, 0, serialised.length), partitionCount);
  }
}
