package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;

/**
 * Runs on the hub's owner and changes nothing: hands the events waiting in the hub's state to this member's
 * publisher, for a hub that came to this member (a promoted backup, a migration) with events not yet delivered.
 * It also refreshes the member's registry entry, which is how a re-index after a membership change works.
 */
final class AnnounceWaitingOperation extends HubOperation<Integer> {
  private final AlertPolicy policy;

  AnnounceWaitingOperation(AlertPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Integer process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    OwnedHubs owned = owned();
    if (owned == null) return 0;
    if (state == null) {
      owned.noted(entry.getKey(), null); // expired meanwhile
      return 0;
    }
    owned.afterUnpromisedOperation(entry.getKey(), state, policy, false);
    return state.waiting().size();
  }

  @Override
  public EntryProcessor<String, HubState, Integer> getBackupProcessor() {
    return null; // read-only
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  AlertPolicy policy() {
    return policy;
  }
}
