package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalAnswers;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.Silence;
import org.csp.edge.decision.Verdict;

/**
 * Runs on the hub's partition: decides a batch of one hub's alerts against its state, atomically, and keeps the
 * events it raises in the state (backed up in the same operation) before the receiving node may acknowledge.
 *
 * <p>On the owner the regional questions are asked of the member's burst detector, and the state records each
 * answer under its question ({@link RegionalAnswers}); the backup copy of this operation carries those answers and
 * the backup's state looks them up by question ({@link HubState#replay}), so both copies of the state stay
 * identical, and a question the owner was not asked fails instead of being answered wrongly.
 * {@code operationId} makes a retried operation (Hazelcast's at-least-once) answer as the first run did.
 * The result is one verdict per alert ({@link Verdict} ordinals), in the batch's order.
 */
public final class DecideAlertsOperation extends HubOperation<byte[]> {
  private final long operationId;
  private final List<Alert> alerts;
  private final long now;
  private final AlertPolicy policy;
  /**
   * The silences in force that may match the hub, as the receiving member knew them: carried, not looked up on the
   * owner, so that its backup decides with the same ones.
   */
  private final List<Silence> silences;
  /** Null on the owner; the owner's answers on the backup. */
  private final RegionalAnswers ownersAnswers;
  private transient RegionalAnswers asked;

  public DecideAlertsOperation(long operationId, List<Alert> alerts, long now, AlertPolicy policy) {
    this(operationId, alerts, now, policy, List.of(), null);
  }

  public DecideAlertsOperation(long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      List<Silence> silences) {
    this(operationId, alerts, now, policy, silences, null);
  }

  private DecideAlertsOperation(long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      List<Silence> silences, RegionalAnswers ownersAnswers) {
    this.operationId = operationId;
    this.alerts = alerts;
    this.now = now;
    this.policy = policy;
    this.silences = silences;
    this.ownersAnswers = ownersAnswers;
  }

  @Override
  public byte[] process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    if (state == null) state = new HubState();
    OwnedHubs owned = owned();
    boolean onBackup = ownersAnswers != null;
    HubState.Outcome outcome = onBackup
        ? state.replay(entry.getKey(), operationId, alerts, now, policy, silences, ownersAnswers)
        : state.apply(entry.getKey(), operationId, alerts, now, policy, silences,
            owned == null ? RegionalGate.NEVER : owned.regional());
    asked = outcome.answers();
    entry.setValue(state); // required so that the change is kept (and the backup runs)
    if (owned != null) owned.afterOperation(entry.getKey(), state, outcome.raised(), policy, onBackup,
        onBackup ? this : (HubOperation<?>) getBackupProcessor());
    if (owned != null && !onBackup) owned.pastBounds(outcome.untrackedDevices(), outcome.untrackedCodes());
    if (owned != null && !onBackup) owned.silenced(outcome.silenced());
    if (owned != null && !onBackup && !outcome.stormingDevices().isEmpty()) owned.stormingDevices(outcome.stormingDevices());
    // A bare byte array: Hazelcast serialises the result even on the local member, and its own byte-array
    // serializer is far cheaper than Java serialisation of a record (src/docs/performance.md).
    return outcome.verdicts();
  }

  @Override
  public EntryProcessor<String, HubState, byte[]> getBackupProcessor() {
    return new DecideAlertsOperation(operationId, alerts, now, policy, silences,
        asked == null ? RegionalAnswers.NONE : asked);
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  long operationId() {
    return operationId;
  }

  List<Alert> alerts() {
    return alerts;
  }

  long now() {
    return now;
  }

  AlertPolicy policy() {
    return policy;
  }

  List<Silence> silences() {
    return silences;
  }

  /** Null on the owner's copy. */
  RegionalAnswers ownersAnswers() {
    return ownersAnswers;
  }

  static DecideAlertsOperation restored(long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      List<Silence> silences, RegionalAnswers ownersAnswers) {
    return new DecideAlertsOperation(operationId, alerts, now, policy, silences, ownersAnswers);
  }
}
