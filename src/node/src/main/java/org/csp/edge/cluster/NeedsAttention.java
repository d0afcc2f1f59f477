package org.csp.edge.cluster;

import com.hazelcast.query.Predicate;
import java.util.Map;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;

/** Selects the hubs whose owner has something to do for them: the re-index after a membership change visits only those. */
final class NeedsAttention implements Predicate<String, HubState> {
  private final AlertPolicy policy;

  NeedsAttention(AlertPolicy policy) {
    this.policy = policy;
  }

  @Override
  public boolean apply(Map.Entry<String, HubState> entry) {
    HubState state = entry.getValue();
    return state != null && state.attention(policy) != null;
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  AlertPolicy policy() {
    return policy;
  }
}
