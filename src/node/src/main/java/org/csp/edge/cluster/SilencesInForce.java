package org.csp.edge.cluster;

import java.util.ArrayList;
import java.util.List;
import org.csp.edge.decision.Silence;

/** Which silences an operation carries: only those in force at its time, and for one hub only those that may match it. */
final class SilencesInForce {
  private SilencesInForce() {}

  static List<Silence> at(List<Silence> all, long now) {
    if (all.isEmpty()) return List.of();
    List<Silence> in = new ArrayList<>(all.size());
    for (Silence s : all) if (s.activeAt(now)) in.add(s);
    return in;
  }

  static List<Silence> forHub(List<Silence> all, String hubId, long now) {
    if (all.isEmpty()) return List.of();
    List<Silence> in = new ArrayList<>(2);
    for (Silence s : all) if (s.activeAt(now) && s.mayMatchHub(hubId)) in.add(s);
    return in;
  }
}
