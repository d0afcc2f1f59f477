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
 *
 * <p>It has a backup step that changes nothing either (an empty receipt), so that it completes only once the hub's
 * backups answered: its result, the last of the hub's summaries and storm ends this member holds back
 * ({@link OwnedHubs#confirmed}), may then be published, as the operations that raised them ran before it.
 */
final class AnnounceWaitingOperation extends HubOperation<Long> {
  private final AlertPolicy policy;

  AnnounceWaitingOperation(AlertPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Long process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    OwnedHubs owned = owned();
    if (owned == null) return 0L;
    // A member just cut off, alone now, would read out and confirm with no backup to wait for (see ensureQuorum).
    owned.ensureQuorum();
    if (state == null) {
      owned.noted(entry.getKey(), null); // expired meanwhile
      return 0L;
    }
    owned.afterUnpromisedOperation(entry.getKey(), state, policy, false);
    return owned.confirmable(entry.getKey());
  }

  /**
   * The backup step: nothing to change, only to be acknowledged. A receipt of no event on the backup, so that it needs
   * no Compact type of its own (a backup's result is never read, so its type does not matter).
   */
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public EntryProcessor<String, HubState, Long> getBackupProcessor() {
    return (EntryProcessor) DeliveredEventsOperation.restored(Map.of(), policy, true);
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  AlertPolicy policy() {
    return policy;
  }
}
