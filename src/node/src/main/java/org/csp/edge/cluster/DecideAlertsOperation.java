package org.csp.edge.cluster;

import org.csp.edge.decision.Verdict;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.HubState;
import com.hazelcast.map.EntryProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;

/**
 * Runs on the hub's partition: decides a batch of one hub's alerts against its state, atomically, and keeps the
 * events it raises in the state (backed up in the same operation) before the receiving node may acknowledge.
 *
 * <p>On the owner the regional question is asked of the member's burst detector; the backup copy of this
 * operation replays the owner's answers ({@code regionalAnswers}), so both copies of the state stay identical.
 * {@code operationId} makes a retried operation (Hazelcast's at-least-once) answer as the first run did.
 * The result is one verdict per alert ({@link Verdict} ordinals), in the batch's order.
 */
public final class DecideAlertsOperation extends HubOperation<byte[]> {
  private final long operationId;
  private final List<Alert> alerts;
  private final long now;
  private final AlertPolicy policy;
  /** Null on the owner; the owner's answers, in order, on the backup. */
  private final boolean[] regionalAnswers;
  private transient List<Boolean> asked;

  public DecideAlertsOperation(long operationId, List<Alert> alerts, long now, AlertPolicy policy) {
    this(operationId, alerts, now, policy, null);
  }

  private DecideAlertsOperation(long operationId, List<Alert> alerts, long now, AlertPolicy policy, boolean[] regionalAnswers) {
    this.operationId = operationId;
    this.alerts = alerts;
    this.now = now;
    this.policy = policy;
    this.regionalAnswers = regionalAnswers;
  }

  @Override
  public byte[] process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    if (state == null) state = new HubState();
    OwnedHubs owned = owned();
    boolean onBackup = regionalAnswers != null;
    HubState.Outcome outcome = state.apply(entry.getKey(), operationId, alerts, now, policy, gate(owned));
    entry.setValue(state); // required so that the change is kept (and the backup runs)
    if (owned != null) owned.afterOperation(entry.getKey(), state, outcome.raised(), policy, onBackup);
    // A bare byte array: Hazelcast serialises the result even on the local member, and its own byte-array
    // serializer is far cheaper than Java serialisation of a record (src/docs/performance.md).
    return outcome.verdicts();
  }

  /** Both of the gate's questions are answered in order, so the backup replays them in the same order. */
  private RegionalGate gate(OwnedHubs owned) {
    if (regionalAnswers != null) {
      int[] next = {0};
      return new RegionalGate() {
        @Override
        public boolean group(String code, String hub, long at, CodePolicy p) {
          return next[0] < regionalAnswers.length && regionalAnswers[next[0]++];
        }

        @Override
        public boolean bursting(String code, long at, CodePolicy p) {
          return group(code, null, at, p);
        }
      };
    }
    RegionalGate detector = owned == null ? RegionalGate.NEVER : owned.regional();
    asked = new ArrayList<>(0);
    return new RegionalGate() {
      @Override
      public boolean group(String code, String hub, long at, CodePolicy p) {
        return noted(detector.group(code, hub, at, p));
      }

      @Override
      public boolean bursting(String code, long at, CodePolicy p) {
        return noted(detector.bursting(code, at, p));
      }
    };
  }

  private boolean noted(boolean answer) {
    asked.add(answer);
    return answer;
  }

  @Override
  public EntryProcessor<String, HubState, byte[]> getBackupProcessor() {
    boolean[] answers = new boolean[asked == null ? 0 : asked.size()];
    for (int i = 0; i < answers.length; i++) answers[i] = asked.get(i);
    return new DecideAlertsOperation(operationId, alerts, now, policy, answers);
  }
}
