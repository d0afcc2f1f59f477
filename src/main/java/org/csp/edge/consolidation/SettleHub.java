package org.csp.edge.consolidation;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;

/** Runs on the hub's partition: emits the summaries and storm ends that are due. */
final class SettleHub implements EntryProcessor<String, HubState, HubVerdicts> {
  private final long now;
  private final AlertPolicy policy;
  private final boolean flushOpenPeriods;

  SettleHub(long now, AlertPolicy policy, boolean flushOpenPeriods) {
    this.now = now;
    this.policy = policy;
    this.flushOpenPeriods = flushOpenPeriods;
  }

  @Override
  public HubVerdicts process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    if (state == null) return new HubVerdicts(new byte[0], new long[0], List.of(), Long.MAX_VALUE);
    HubVerdicts result = state.settle(entry.getKey(), now, policy, flushOpenPeriods);
    if (!result.events().isEmpty()) entry.setValue(state);
    return result;
  }
}
