package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.csp.edge.alert.Eui64;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubAttention;
import org.junit.jupiter.api.Test;

/**
 * The owner's registry of open group shares by code: a hub with an EUI-64 id is kept there (no entry of its own
 * when its open share is all it needs), another id as before; what the sweeper seals and status counts come from both.
 */
class GroupingHubsTest {
  private static final long T0 = 1_796_000_000_000L;

  private static String hub(int i) {
    return Eui64.text(0x001BC50C00000000L + i);
  }

  private static HubAttention open(GroupShare... shares) {
    Map<String, GroupShare> open = new HashMap<>();
    for (GroupShare s : shares) open.put(s.alertCode(), s);
    return new HubAttention(Long.MAX_VALUE, false, open, Map.of(), 0, Map.of(), false);
  }

  @Test
  void onlyIdsThatTextGivesBackAreKeptAsTheir64Bits() {
    assertEquals(0x001BC50C00000001L, GroupingHubs.key("00-1B-C5-0C-00-00-00-01"));
    assertEquals(Eui64.NOT_AN_ID, GroupingHubs.key("00-1b-c5-0c-00-00-00-01"), "lower case would come back upper");
    assertEquals(Eui64.NOT_AN_ID, GroupingHubs.key("hub-1"));
    assertEquals(Eui64.NOT_AN_ID, GroupingHubs.key("FF-FF-FF-FF-FF-FF-FF-FF"), "the table's free mark");
    assertEquals(Eui64.NOT_AN_ID, GroupingHubs.key("00-1B-C5-0C-00-00-00-\u0661\u0661"), "digits of other scripts");
  }

  @Test
  void aHubWhoseOnlyNeedIsItsOpenShareHasNoEntryOfItsOwnAndIsCountedBySweepAndStatus() {
    OwnedHubs owned = new OwnedHubs();
    owned.noted(hub(1), open(new GroupShare("8014", 3, T0 + 10, T0 + 20)));
    owned.noted(hub(2), open(new GroupShare("8014", 1, T0, T0), new GroupShare("8015", 2, T0 + 5, T0 + 6)));
    owned.noted("hub-other", open(new GroupShare("8014", 4, T0 + 1, T0 + 1))); // no EUI-64: kept as before
    HubAttention storming = new HubAttention(T0 + 1000, false, Map.of("8015", new GroupShare("8015", 1, T0, T0)), Map.of(), 0,
        Map.of("8015", 9L), false);
    owned.noted(hub(3), storming);

    assertEquals(Set.of("hub-other", hub(3)), owned.attention().keySet());
    assertTrue(owned.attention().get(hub(3)).openShares().isEmpty(), "its open share is kept by code");
    assertEquals(T0 + 1000, owned.attention().get(hub(3)).settleAt());
    assertEquals(2, owned.grouping().size("8014"), "hubs 1 and 2");
    assertEquals(2, owned.grouping().size("8015"));
    assertEquals(T0, owned.grouping().oldestFirstAt("8014"));

    HubCounts counts = HubCounts.of(owned.attention(), owned.grouping(), hub -> true);
    assertEquals(4, counts.grouping(), "every hub with an open share, once whatever its codes");
    assertEquals(3 + 1 + 2 + 4 + 1, counts.heldInGroups());
    assertEquals(1, counts.storming());
    HubCounts notHub2 = HubCounts.of(owned.attention(), owned.grouping(), hub -> !hub.equals(hub(2)));
    assertEquals(3, notHub2.grouping());
    assertEquals(3 + 4 + 1, notHub2.heldInGroups());
  }

  @Test
  void aSealedShareLeavesItsCodeAndTheOldestIsTheOldestLeft() {
    OwnedHubs owned = new OwnedHubs();
    owned.noted(hub(1), open(new GroupShare("8014", 1, T0, T0)));
    owned.noted(hub(2), open(new GroupShare("8014", 1, T0 + 50, T0 + 50)));
    HubAttention sealed = new HubAttention(Long.MAX_VALUE, false, Map.of(), Map.of("g-1", "member-a"), 0, Map.of(), false);
    owned.noted(hub(1), sealed); // SEAL: the open share went into group g-1
    assertEquals(1, owned.grouping().size("8014"));
    assertFalse(owned.grouping().contains("8014", GroupingHubs.key(hub(1))));
    assertEquals(T0 + 50, owned.grouping().oldestFirstAt("8014"));
    assertEquals(Map.of("g-1", "member-a"), owned.attention().get(hub(1)).sealedInto(), "its seal still needs the owner");
    owned.noted(hub(1), null); // RELEASE
    owned.forgotten(hub(2));
    assertNull(owned.attention().get(hub(1)));
    assertEquals(0, owned.grouping().size("8014"));
    assertEquals(Long.MAX_VALUE, owned.grouping().oldestFirstAt("8014"));
    assertTrue(HubCounts.of(owned.attention(), owned.grouping(), hub -> true).settled());
  }

  @Test
  void aCodeWithManyHubsNotedFromSeveralThreadsAtOnce() throws Exception {
    OwnedHubs owned = new OwnedHubs();
    int hubs = 200_000, threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = t;
        work.add(pool.submit(() -> { // each thread its own hubs, as each partition thread its partitions'
          for (int i = from; i < hubs; i += threads) owned.noted(hub(i), open(new GroupShare("8014", 1 + i % 3, T0 + i, T0 + i)));
          for (int i = from; i < hubs; i += threads) if (i % 2 == 0) owned.noted(hub(i), null);
        }));
      }
      for (Future<?> f : work) f.get();
    } finally {
      pool.shutdown();
    }
    assertEquals(hubs / 2, owned.grouping().size("8014"));
    assertEquals(T0 + 1, owned.grouping().oldestFirstAt("8014"), "the oldest of the hubs left (hub 0 left)");
    long expectedHeld = 0;
    for (int i = 1; i < hubs; i += 2) expectedHeld += 1 + i % 3;
    HubCounts counts = owned.counts();
    assertEquals(0, counts.grouping(), "a member that has not joined owns no hub");
    HubCounts all = HubCounts.of(owned.attention(), owned.grouping(), hub -> true);
    assertEquals(hubs / 2, all.grouping());
    assertEquals(expectedHeld, all.heldInGroups());
    assertTrue(owned.attention().isEmpty());
  }

  @Test
  void countsOfSeveralCodesTakenAtOnceWhileHubsAreNotedNeitherWaitOnEachOtherNorCountAHubTwice() throws Exception {
    OwnedHubs owned = new OwnedHubs();
    int hubs = 30_000;
    String[] codes = {"8015", "8014", "8F12"};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new java.util.ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int from = t;
        work.add(pool.submit(() -> { // as partition threads: each hub's shares of one, two or three codes
          for (int i = from; i < hubs; i += 2) {
            GroupShare[] shares = new GroupShare[1 + i % 3];
            for (int c = 0; c < shares.length; c++) shares[c] = new GroupShare(codes[(i + c) % 3], 1, T0 + i, T0 + i);
            owned.noted(hub(i), open(shares));
          }
        }));
      }
      for (int t = 0; t < 2; t++) { // as status, metrics and the live page, at once
        work.add(pool.submit(() -> {
          for (int n = 0; n < 20; n++) HubCounts.of(owned.attention(), owned.grouping(), hub -> true, hub -> true);
        }));
      }
      for (Future<?> f : work) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    HubCounts counts = HubCounts.of(owned.attention(), owned.grouping(), hub -> true, hub -> true);
    assertEquals(hubs, counts.grouping(), "each hub once, whatever its codes");
    long held = 0;
    for (int i = 0; i < hubs; i++) held += 1 + i % 3;
    assertEquals(held, counts.heldInGroups());
  }
}
