package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;

/** Runs on the hub's partition, asked by its owner: raises the summaries and storm ends that are due. */
final class SettleHubOperation extends HubOperation<Integer> {
  private final long now;
  private final AlertPolicy policy;
  private final boolean flushOpenPeriods;
  private final boolean onBackup;

  SettleHubOperation(long now, AlertPolicy policy, boolean flushOpenPeriods) {
    this(now, policy, flushOpenPeriods, false);
  }

  private SettleHubOperation(long now, AlertPolicy policy, boolean flushOpenPeriods, boolean onBackup) {
    this.now = now;
    this.policy = policy;
    this.flushOpenPeriods = flushOpenPeriods;
    this.onBackup = onBackup;
  }

  @Override
  public Integer process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    if (state == null) return 0;
    List<HubEvent> raised = state.settle(entry.getKey(), now, policy, flushOpenPeriods);
    entry.setValue(state);
    OwnedHubs owned = owned();
    if (owned != null) owned.afterOperation(entry.getKey(), state, raised, policy, onBackup,
        onBackup ? this : (HubOperation<?>) getBackupProcessor());
    return raised.size();
  }

  @Override
  public EntryProcessor<String, HubState, Integer> getBackupProcessor() {
    return new SettleHubOperation(now, policy, flushOpenPeriods, true);
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  long now() {
    return now;
  }

  AlertPolicy policy() {
    return policy;
  }

  boolean flushOpenPeriods() {
    return flushOpenPeriods;
  }

  boolean onBackup() {
    return onBackup;
  }

  static SettleHubOperation restored(long now, AlertPolicy policy, boolean flushOpenPeriods, boolean onBackup) {
    return new SettleHubOperation(now, policy, flushOpenPeriods, onBackup);
  }
}
