package org.csp.edge.consolidation;

import java.io.Serializable;
import java.util.List;

/**
 * The outcome of one operation on a hub's state: a verdict per alert (in the batch's order), for forwarded alerts
 * how many were consolidated since the last one, the storm events raised, and when the hub next needs settling
 * ({@link Long#MAX_VALUE}: not in storm on any code).
 */
public record HubVerdicts(byte[] verdicts, long[] sinceLast, List<StormEvent> events, long nextDueAt)
    implements Serializable {

  public Verdict verdict(int i) {
    return Verdict.of(verdicts[i]);
  }

  public boolean storming() {
    return nextDueAt != Long.MAX_VALUE;
  }
}
