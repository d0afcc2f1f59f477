package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive table of one code's hubs with an open share: what it holds is what a map would. */
class OpenShareTableTest {
  private static final long T0 = 1_796_000_000_000L;

  @Test
  void keepsEachHubsFirstTimeAndCountAndReplacesThem() {
    OpenShareTable t = new OpenShareTable(T0);
    t.put(0x001BC50C00000001L, T0 + 5, 1);
    t.put(0L, T0 - 3_000, 7); // 00-00-00-00-00-00-00-00 is a hub id like any other
    t.put(0x001BC50C00000001L, T0 + 5, 2);
    assertEquals(2, t.size());
    assertEquals(T0 + 5, t.firstAt(0x001BC50C00000001L));
    assertEquals(T0 - 3_000, t.firstAt(0L), "a share older than the table's base");
    Map<Long, Long> seen = new HashMap<>();
    t.forEach((hub, firstAt, count) -> seen.put(hub, firstAt * 100 + count));
    assertEquals(Map.of(0x001BC50C00000001L, (T0 + 5) * 100 + 2, 0L, (T0 - 3_000) * 100 + 7), seen);
    assertThrows(IllegalArgumentException.class, () -> t.put(OpenShareTable.FREE, T0, 1));
  }

  @Test
  void aHundredThousandHubsPutAndRemovedInRandomOrderAgreeWithAMapThroughout() {
    Random random = new Random(18);
    OpenShareTable t = new OpenShareTable(T0);
    Map<Long, long[]> expected = new HashMap<>();
    long[] hubs = new long[100_000];
    for (int i = 0; i < hubs.length; i++) hubs[i] = 0x001BC50C00000000L + random.nextInt(1 << 20); // one maker's prefix
    for (int round = 0; round < 400_000; round++) {
      long hub = hubs[random.nextInt(hubs.length)];
      if (random.nextInt(3) == 0) {
        assertEquals(expected.remove(hub) != null, t.remove(hub));
      } else {
        long firstAt = T0 + random.nextInt(60_000);
        int count = 1 + random.nextInt(1000);
        t.put(hub, firstAt, count);
        expected.put(hub, new long[] {firstAt, count});
      }
    }
    assertEquals(expected.size(), t.size());
    for (long hub : hubs) {
      long[] e = expected.get(hub);
      assertEquals(e != null, t.contains(hub));
      assertEquals(e == null ? Long.MAX_VALUE : e[0], t.firstAt(hub));
    }
    long[] held = new long[1];
    t.forEach((hub, firstAt, count) -> held[0] += count);
    assertEquals(expected.values().stream().mapToLong(e -> e[1]).sum(), held[0]);
    assertTrue(t.capacity() * 0.8 >= t.size());
  }

  @Test
  void theOldestFirstTimeFollowsRemovalsAndTheTableShrinksWhenEmptied() {
    OpenShareTable t = new OpenShareTable(T0);
    for (int i = 0; i < 10_000; i++) t.put(i + 1, T0 + i, 1);
    int full = t.capacity();
    assertEquals(T0, t.oldestFirstAt());
    for (int i = 0; i < 9_990; i++) assertTrue(t.remove(i + 1));
    assertEquals(T0 + 9_990, t.oldestFirstAt(), "the oldest of the hubs left, not of the hubs once here");
    assertTrue(t.capacity() < full / 100, "shrunk as its hubs left: " + t.capacity());
    for (int i = 9_990; i < 10_000; i++) assertTrue(t.remove(i + 1));
    assertFalse(t.remove(1));
    assertEquals(0, t.size());
    assertEquals(Long.MAX_VALUE, t.oldestFirstAt());
  }
}
