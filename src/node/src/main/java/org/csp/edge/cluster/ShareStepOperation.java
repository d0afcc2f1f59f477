package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubState;

/**
 * Runs on each hub of a regional group, one step of the group's life: SEAL the hub's open share of the code into
 * the group (the result is the share, null when there was none), RELEASE it once the group event is acknowledged,
 * or UNSEAL it when the member that sealed it died before recording the group (it was never published).
 * Every step is idempotent, so the whole sequence can be retried by whichever member takes over.
 */
final class ShareStepOperation extends HubOperation<GroupShare> {
  enum Step { SEAL, RELEASE, UNSEAL }

  private final Step step;
  private final String alertCode;
  private final String groupId;
  private final String creator;
  private final AlertPolicy policy;
  private final boolean onBackup;

  ShareStepOperation(Step step, String alertCode, String groupId, String creator, AlertPolicy policy) {
    this(step, alertCode, groupId, creator, policy, false);
  }

  private ShareStepOperation(Step step, String alertCode, String groupId, String creator, AlertPolicy policy, boolean onBackup) {
    this.step = step;
    this.alertCode = alertCode;
    this.groupId = groupId;
    this.creator = creator;
    this.policy = policy;
    this.onBackup = onBackup;
  }

  @Override
  public GroupShare process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    OwnedHubs owned = owned();
    if (state == null) {
      if (owned != null) owned.noted(entry.getKey(), null);
      return null;
    }
    GroupShare result = null;
    boolean changed = switch (step) {
      case SEAL -> (result = state.seal(alertCode, groupId, creator)) != null;
      case RELEASE -> state.releaseSeal(groupId);
      case UNSEAL -> state.unseal(groupId);
    };
    if (changed) entry.setValue(state);
    // Refreshed even when nothing changed: the member's entry may have been stale (that is why it asked).
    if (owned != null) owned.afterOperation(entry.getKey(), state, List.of(), policy, onBackup,
        onBackup ? this : (HubOperation<?>) getBackupProcessor());
    return result;
  }

  @Override
  public EntryProcessor<String, HubState, GroupShare> getBackupProcessor() {
    return new ShareStepOperation(step, alertCode, groupId, creator, policy, true);
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  Step step() {
    return step;
  }

  String alertCode() {
    return alertCode;
  }

  String groupId() {
    return groupId;
  }

  String creator() {
    return creator;
  }

  AlertPolicy policy() {
    return policy;
  }

  boolean onBackup() {
    return onBackup;
  }

  static ShareStepOperation restored(Step step, String alertCode, String groupId, String creator, AlertPolicy policy,
      boolean onBackup) {
    return new ShareStepOperation(step, alertCode, groupId, creator, policy, onBackup);
  }
}
