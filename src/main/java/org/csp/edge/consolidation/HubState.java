package org.csp.edge.consolidation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;

/**
 * Everything the node remembers about one Communications Hub: per alert code its storm state, per device the
 * header counters recently seen. It is the value of the shared hub map, so all of one hub's decisions happen in
 * one place, atomically, whichever node received the alert.
 */
public final class HubState implements Serializable {
  private final Map<String, CodeStorm> codes = new HashMap<>(4);
  private final Map<String, DeviceHeaders> headers = new HashMap<>(4);

  /** Decides every alert of a batch from this hub, in order. */
  public HubVerdicts apply(String hubId, List<Alert> alerts, long now, AlertPolicy policy) {
    byte[] verdicts = new byte[alerts.size()];
    long[] sinceLast = new long[alerts.size()];
    List<StormEvent> events = new ArrayList<>(0);
    long retention = policy.duplicateRetention().toMillis();
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      DeviceHeaders seen = headers.computeIfAbsent(alert.deviceId(), d -> new DeviceHeaders(policy.duplicateMemoryPerDevice()));
      Verdict v;
      if (seen.seenBefore(alert.originatorCounter(), now, retention)) {
        v = Verdict.DUPLICATE;
      } else {
        CodePolicy codePolicy = policy.forCode(alert.alertCode());
        if (codePolicy.mode() == CodeMode.FORWARD) {
          v = Verdict.FORWARD;
        } else {
          CodeStorm storm = codes.computeIfAbsent(alert.alertCode(), CodeStorm::new);
          v = storm.apply(alert, now, hubId, codePolicy, events);
          if (v == Verdict.FORWARD) sinceLast[i] = storm.takeSinceLastForwarded();
        }
      }
      verdicts[i] = (byte) v.ordinal();
    }
    return new HubVerdicts(verdicts, sinceLast, events, nextDueAt(policy));
  }

  /** Emits the summaries and storm ends due at {@code now}; with {@code flushOpenPeriods}, every open period too. */
  public HubVerdicts settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods) {
    List<StormEvent> events = new ArrayList<>(0);
    codes.forEach((code, storm) -> storm.settle(now, hubId, policy.forCode(code), flushOpenPeriods, events));
    return new HubVerdicts(new byte[0], new long[0], events, nextDueAt(policy));
  }

  long nextDueAt(AlertPolicy policy) {
    long due = Long.MAX_VALUE;
    for (Map.Entry<String, CodeStorm> e : codes.entrySet()) {
      due = Math.min(due, e.getValue().nextDueAt(policy.forCode(e.getKey())));
    }
    return due;
  }
}
