package org.csp.edge.consolidation;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;

/** Runs on the hub's partition: decides a batch of one hub's alerts against its state, atomically. */
public final class ApplyAlerts implements EntryProcessor<String, HubState, HubVerdicts> {
  private final List<Alert> alerts;
  private final long now;
  private final AlertPolicy policy;

  public ApplyAlerts(List<Alert> alerts, long now, AlertPolicy policy) {
    this.alerts = alerts;
    this.now = now;
    this.policy = policy;
  }

  @Override
  public HubVerdicts process(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    if (state == null) state = new HubState();
    HubVerdicts verdicts = state.apply(entry.getKey(), alerts, now, policy);
    entry.setValue(state); // required so that the change is kept (and copied to backups)
    return verdicts;
  }
}
