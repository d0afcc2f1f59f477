package org.csp.edge.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import org.csp.edge.alert.Eui64;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubAttention;

/**
 * Hubs owned here: in storm, holding silenced or inhibited alerts for their summary, with events waiting for the broker, with open group shares, with shares sealed into
 * a group not yet delivered; and the alerts held in open shares. For status and metrics.
 */
public record HubCounts(int storming, int waiting, int grouping, int sealed, long heldInGroups, int holding) {

  /** Nothing open: no storm, no held alerts awaiting their summary, nothing waiting or grouped. */
  public boolean settled() {
    return storming == 0 && holding == 0 && waiting == 0 && grouping == 0 && sealed == 0;
  }

  /** Counted over the registry's entries of the hubs {@code owned}, and their open shares kept by code. */
  static HubCounts of(Map<String, HubAttention> attention, GroupingHubs open, Predicate<String> owned) {
    return of(attention, open, owned, hub -> owned.test(Eui64.text(hub)));
  }

  /** As above, {@code ownedHub} asked of the hubs kept by code (their EUI-64's bits): no String per hub. */
  static HubCounts of(Map<String, HubAttention> attention, GroupingHubs open, Predicate<String> owned,
      LongPredicate ownedHub) {
    int storming = 0, waiting = 0, grouping = 0, sealed = 0, holding = 0;
    long held = 0;
    for (Map.Entry<String, HubAttention> e : attention.entrySet()) {
      if (!owned.test(e.getKey())) continue;
      HubAttention a = e.getValue();
      if (a.storming()) storming++;
      if (a.holding()) holding++;
      if (a.eventsWaiting()) waiting++;
      if (!a.openShares().isEmpty()) {
        grouping++;
        for (GroupShare s : a.openShares().values()) held += s.count();
      }
      if (!a.sealedInto().isEmpty()) sealed++;
    }
    // A hub with shares of several codes is counted once, under the first of its codes in their sorted order. A
    // code's stripe is locked while it is visited and the earlier codes are asked from inside: always from a later
    // code to an earlier one, the one order in which stripes of two codes are ever locked together (GroupingHubs).
    List<String> codes = new ArrayList<>();
    for (String code : open.codes()) if (open.size(code) > 0) codes.add(code);
    Collections.sort(codes);
    long[] byCode = new long[2]; // hubs, held
    for (int i = 0; i < codes.size(); i++) {
      List<String> earlier = codes.subList(0, i);
      open.forEach(codes.get(i), (hub, firstAt, count) -> {
        if (!ownedHub.test(hub)) return;
        byCode[1] += count;
        for (String code : earlier) if (open.contains(code, hub)) return;
        byCode[0]++;
      });
    }
    return new HubCounts(storming, waiting, grouping + (int) byCode[0], sealed, held + byCode[1], holding);
  }
}
