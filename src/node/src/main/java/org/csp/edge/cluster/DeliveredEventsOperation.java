package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;

/** Runs on each hub of a batch: the broker acknowledged these of its events, so they stop waiting. */
public final class DeliveredEventsOperation extends HubOperation<Boolean> {
  private final Map<String, Set<String>> eventIdsByHub;
  private final AlertPolicy policy;
  private final boolean onBackup;

  public DeliveredEventsOperation(Map<String, Set<String>> eventIdsByHub, AlertPolicy policy) {
    this(eventIdsByHub, policy, false);
  }

  private DeliveredEventsOperation(Map<String, Set<String>> eventIdsByHub, AlertPolicy policy, boolean onBackup) {
    this.eventIdsByHub = eventIdsByHub;
    this.policy = policy;
    this.onBackup = onBackup;
  }

  @Override
  public Boolean process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    Set<String> ids = eventIdsByHub.get(entry.getKey());
    if (state == null || ids == null || !state.delivered(ids)) return false;
    entry.setValue(state);
    OwnedHubs owned = owned();
    if (owned != null) owned.afterUnpromisedOperation(entry.getKey(), state, policy, onBackup);
    return true;
  }

  @Override
  public EntryProcessor<String, HubState, Boolean> getBackupProcessor() {
    return new DeliveredEventsOperation(eventIdsByHub, policy, true);
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  Map<String, Set<String>> eventIdsByHub() {
    return eventIdsByHub;
  }

  AlertPolicy policy() {
    return policy;
  }

  boolean onBackup() {
    return onBackup;
  }

  static DeliveredEventsOperation restored(Map<String, Set<String>> eventIdsByHub, AlertPolicy policy, boolean onBackup) {
    return new DeliveredEventsOperation(eventIdsByHub, policy, onBackup);
  }
}
