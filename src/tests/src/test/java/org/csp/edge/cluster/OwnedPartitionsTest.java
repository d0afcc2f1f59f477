package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import java.util.Map;
import java.util.SplittableRandom;
import org.csp.edge.alert.Eui64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweeps and counts ask ownership of every hub with an open share: computed from a hub's EUI-64 bits, it must be
 * the partition Hazelcast itself puts the hub's id in, on a real two-member cluster of the node's configuration.
 */
class OwnedPartitionsTest {
  private static BareCluster cluster;

  @BeforeAll
  static void cluster() throws Exception {
    cluster = BareCluster.start("csp-owned-partitions", 2, Map.of(), Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aHubsPartitionComputedFromItsBitsIsHazelcastsAndExactlyOneMemberOwnsIt() {
    HazelcastInstance first = cluster.members().get(0);
    OwnedPartitions onFirst = new OwnedPartitions(first);
    OwnedPartitions onSecond = new OwnedPartitions(cluster.members().get(1));
    SplittableRandom random = new SplittableRandom(18);
    int ownedByFirst = 0;
    for (int i = 0; i < 20_000; i++) {
      long hub = i < 10_000 ? random.nextLong() : 0x001BC50C00000000L + i; // random, and one maker's consecutive ids
      if (hub == Eui64.NOT_AN_ID) continue;
      String text = Eui64.text(hub);
      var partition = first.getPartitionService().getPartition(text);
      assertEquals(partition.getPartitionId(), onFirst.partitionOf(hub), text);
      boolean owner = partition.getOwner().localMember();
      assertEquals(owner, onFirst.owns(hub), text);
      assertEquals(owner, onFirst.owns(text), text);
      assertNotEquals(onFirst.owns(hub), onSecond.owns(hub), text + ": one owner");
      if (owner) ownedByFirst++;
    }
    assertTrue(ownedByFirst > 8_000 && ownedByFirst < 12_000, "both members own hubs: " + ownedByFirst);
  }

  @Test
  void theOwnerEachAlertIsRoutedToIsTheOwnerHazelcastNames() {
    HazelcastInstance first = cluster.members().get(0);
    ClusterInvocations invocations = new ClusterInvocations(first.getPartitionService(), () -> 1);
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < 5_000; i++) {
      String hub = Eui64.text(random.nextLong() & ~1L);
      assertEquals(first.getPartitionService().getPartition(hub).getOwner(), invocations.owner(hub), hub);
    }
    for (String id : new String[] {"hub-7", "00-1b-c5-0c-00-00-00-01", "FF-FF-FF-FF-FF-FF-FF-FF"}) {
      assertEquals(first.getPartitionService().getPartition(id).getOwner(), invocations.owner(id), id);
    }
  }

  @Test
  void anIdThatIsNoEui64InTheWireFormIsAskedOfHazelcast() {
    HazelcastInstance first = cluster.members().get(0);
    OwnedPartitions onFirst = new OwnedPartitions(first);
    for (String id : new String[] {"hub-7", "00-1b-c5-0c-00-00-00-01", "FF-FF-FF-FF-FF-FF-FF-FF", "h\u00e9b-1"}) {
      assertEquals(first.getPartitionService().getPartition(id).getOwner().localMember(), onFirst.owns(id), id);
    }
  }

  @Test
  void aMemberAloneOwnsEveryHub() throws Exception {
    try (BareCluster alone = BareCluster.start("csp-owned-partitions-alone", 1, Map.of(), Map.of())) {
      OwnedPartitions mine = new OwnedPartitions(alone.members().get(0));
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < 1_000; i++) assertTrue(mine.owns(random.nextLong() & ~1L));
      assertTrue(mine.owns("hub-7"));
    }
  }

  @Test
  void theMembersAreListedOnceAndAMemberNotRunningOwnsNothing() {
    OwnedPartitions onFirst = new OwnedPartitions(cluster.members().get(0));
    for (HazelcastInstance m : cluster.members()) {
      assertTrue(onFirst.isMember(m.getCluster().getLocalMember().getUuid().toString()));
    }
    assertFalse(onFirst.isMember("00000000-0000-0000-0000-000000000000"));
    OwnedPartitions none = OwnedPartitions.none();
    assertFalse(none.owns(0x001BC50C00000001L));
    assertFalse(none.owns("hub-7"));
    assertTrue(none.isMember("anyone"), "as MemberView: before joining, no member is taken for dead");
  }
}
