package org.csp.edge.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import org.csp.edge.decision.HubState;

/**
 * How {@code csp-hub-state} heals after a split (cluster-config/*.xml name it as the map's merge policy): for each hub
 * the smaller side held, Hazelcast asks this, on the hub's owner in the larger side, with both sides' copies.
 *
 * <p>The larger side's copy is kept whole whenever it has one. With a quorum ({@link Quorum}) it is the side that
 * decided: the smaller side refused every operation once it noticed the cut, and before that acknowledged nothing
 * whose backup was across the cut (ClusterConfigs fails such operations: the sender sent it again, to the larger
 * side) and published no summary or storm end whose backup had not answered ({@link OwnedHubs}). What the smaller
 * side's copy holds beyond the larger side's was never acknowledged, so none of it is added: not a summary (the
 * larger side publishes that period with its own count, under the same eventId), and not a forwarded alert either
 * (its resend may have been consolidated on the larger side). A hub only the smaller side holds is kept (the other
 * side forgot it as idle, or lost both its copies). Without a quorum both sides decided, and the smaller side's
 * decisions since the cut are lost: that is what the quorum prevents (src/docs/design.md, "Split brain").
 *
 * <p>Hazelcast sends the policy with the merging entries, so it is DataSerializable (it has no state to write).
 */
public final class HubStateMerge implements SplitBrainMergePolicy<HubState, MergingValue<HubState>, Object> {
  @Override
  public Object merge(MergingValue<HubState> merging, MergingValue<HubState> existing) {
    if (existing == null || existing.getValue() == null) return merging.getRawValue();
    return existing.getRawValue();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // Nothing: the policy has no state.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // Nothing: the policy has no state.
  }
}
