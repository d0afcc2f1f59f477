package org.csp.edge.cluster;

import java.util.Map;
import java.util.function.Predicate;
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

  /** Counted over the registry's entries of the hubs {@code owned}. */
  static HubCounts of(Map<String, HubAttention> attention, Predicate<String> owned) {
    int storming = 0, waiting = 0, grouping = 0, sealed = 0, holding = 0;
    long held = 0;
    for (Map.Entry<String, HubAttention> e : attention.entrySet()) {
      if (!owned.test(e.getKey())) continue;
      HubAttention a = e.getValue();
      if (a.storming()) storming++;
      if (a.holding()) holding++;
      if (a.eventsWaiting()) waiting++;
      if (!a.openShares().isEmpty()) grouping++;
      for (GroupShare s : a.openShares().values()) held += s.count();
      if (!a.sealedInto().isEmpty()) sealed++;
    }
    return new HubCounts(storming, waiting, grouping, sealed, held, holding);
  }
}
