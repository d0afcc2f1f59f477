package org.csp.edge.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import org.csp.edge.decision.HubAttention;

/**
 * The storms in progress among the hubs this member owns, for the console's live page: by code (hubs in storm,
 * alerts consolidated in their open storms) and the hubs with the most consolidated alerts. Each list is cut to
 * {@code top} entries, whatever the number of storming hubs, so that what goes to a browser stays small in a storm.
 */
public record StormBoard(List<CodeStorms> codes, int codesInStorm, List<HubStorms> hubs, int hubsInStorm) {

  /** One code: how many hubs storm on it, and the alerts consolidated in those storms so far. */
  public record CodeStorms(String alertCode, int hubs, long consolidated) {}

  /** One hub: the alerts consolidated in its open storms so far, and the codes it storms on. */
  public record HubStorms(String hubId, long consolidated, List<String> codes) {}

  private static final Comparator<CodeStorms> BY_HUBS = Comparator.comparingInt(CodeStorms::hubs)
      .thenComparingLong(CodeStorms::consolidated).reversed().thenComparing(CodeStorms::alertCode);

  /** A hub while the top is chosen: its codes are listed and sorted only for the hubs that end in the top. */
  private record Candidate(String hubId, long consolidated, Map<String, Long> storms) {}

  /** The weakest of the top first (the heap's head): least consolidated, ties by the later hub id. */
  private static final Comparator<Candidate> CANDIDATES = Comparator.comparingLong(Candidate::consolidated)
      .thenComparing(Candidate::hubId, Comparator.reverseOrder());

  /** One pass over the registry's entries of the hubs {@code owned}; the top hubs kept in a heap of {@code top}. */
  static StormBoard of(Map<String, HubAttention> attention, Predicate<String> owned, int top) {
    Map<String, long[]> byCode = new HashMap<>(); // code -> {hubs, consolidated}
    PriorityQueue<Candidate> topHubs = new PriorityQueue<>(top + 1, CANDIDATES);
    int hubsInStorm = 0;
    for (Map.Entry<String, HubAttention> e : attention.entrySet()) {
      Map<String, Long> storms = e.getValue().storms();
      if (storms.isEmpty() || !owned.test(e.getKey())) continue;
      hubsInStorm++;
      long total = 0;
      for (Map.Entry<String, Long> s : storms.entrySet()) {
        long[] c = byCode.computeIfAbsent(s.getKey(), k -> new long[2]);
        c[0]++;
        c[1] += s.getValue();
        total += s.getValue();
      }
      if (topHubs.size() < top) {
        topHubs.add(new Candidate(e.getKey(), total, storms));
      } else if (total >= topHubs.peek().consolidated()) { // a cheap look first: most hubs of a storm fall short
        Candidate hub = new Candidate(e.getKey(), total, storms);
        if (CANDIDATES.compare(hub, topHubs.peek()) > 0) {
          topHubs.poll();
          topHubs.add(hub);
        }
      }
    }
    List<CodeStorms> codes = new ArrayList<>(byCode.size());
    byCode.forEach((code, c) -> codes.add(new CodeStorms(code, (int) c[0], c[1])));
    codes.sort(BY_HUBS);
    List<Candidate> best = new ArrayList<>(topHubs);
    best.sort(CANDIDATES.reversed());
    List<HubStorms> hubs = new ArrayList<>(best.size());
    for (Candidate c : best) hubs.add(new HubStorms(c.hubId(), c.consolidated(), c.storms().keySet().stream().sorted().toList()));
    return new StormBoard(List.copyOf(codes.subList(0, Math.min(top, codes.size()))), codes.size(), hubs, hubsInStorm);
  }
}
