package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.decision.HubAttention;
import org.junit.jupiter.api.Test;

/** The live page's storm board: counts over every storming hub this member owns, lists cut to the top. */
class StormBoardTest {
  private static HubAttention storming(Map<String, Long> storms) {
    return new HubAttention(1, false, Map.of(), Map.of(), 0, storms, false);
  }

  @Test
  void countsEveryOwnedStormAndCutsTheListsToTheTop() {
    Map<String, HubAttention> attention = new HashMap<>();
    attention.put("hub-a", storming(Map.of("8F3E", 50L)));
    attention.put("hub-b", storming(Map.of("8F3E", 10L, "8F0A", 5L)));
    attention.put("hub-c", storming(Map.of("8F3E", 30L)));
    attention.put("hub-d", storming(Map.of("8F36", 99L)));
    attention.put("hub-quiet", new HubAttention(Long.MAX_VALUE, true, Map.of(), Map.of(), 0, Map.of(), false));
    attention.put("hub-elsewhere", storming(Map.of("8F3E", 1000L))); // owned by another member: not here

    StormBoard board = StormBoard.of(attention, hub -> !hub.equals("hub-elsewhere"), 2);

    assertEquals(4, board.hubsInStorm());
    assertEquals(3, board.codesInStorm());
    assertEquals(List.of(new StormBoard.CodeStorms("8F3E", 3, 90), new StormBoard.CodeStorms("8F36", 1, 99)), board.codes(),
        "most hubs first, then most consolidated; cut to 2");
    assertEquals(List.of(new StormBoard.HubStorms("hub-d", 99, List.of("8F36")), new StormBoard.HubStorms("hub-a", 50, List.of("8F3E"))),
        board.hubs(), "most consolidated first, cut to 2");
  }

  /** Many hubs with equal totals: the top is the most consolidated, ties by hub id, each with its codes sorted. */
  @Test
  void theTopHubsAreTheMostConsolidatedWithTiesByHubIdWhateverTheOrderTheyAreMet() {
    java.util.Random random = new java.util.Random(7);
    Map<String, HubAttention> attention = new HashMap<>();
    List<StormBoard.HubStorms> all = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String hub = String.format("hub-%03d", random.nextInt(1000));
      if (attention.containsKey(hub)) continue;
      Map<String, Long> storms = new java.util.TreeMap<>();
      storms.put("8F3E", (long) random.nextInt(5));
      if (random.nextBoolean()) storms.put("8014", (long) random.nextInt(5));
      attention.put(hub, storming(storms));
      all.add(new StormBoard.HubStorms(hub, storms.values().stream().mapToLong(Long::longValue).sum(), List.copyOf(storms.keySet())));
    }
    all.sort(java.util.Comparator.comparingLong(StormBoard.HubStorms::consolidated).reversed()
        .thenComparing(StormBoard.HubStorms::hubId));

    assertEquals(all.subList(0, 10), StormBoard.of(attention, hub -> true, 10).hubs());
    assertEquals(all.size(), StormBoard.of(attention, hub -> true, 10).hubsInStorm());
  }
}
