package org.csp.edge.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import org.csp.edge.decision.HubState;

/**
 * How {@code csp-hub-state} heals after a split (cluster-config/*.xml name it as the map's merge policy): for each hub
 * the smaller side held, Hazelcast asks this, on the hub's owner in the larger side, with both sides' copies
 * ({@code merging}: the smaller side's; {@code existing}: the larger side's).
 *
 * <p>The merge adds: the larger side's copy is the base, and every event waiting in the smaller side's copy that the
 * base neither holds (by eventId) nor counted itself ({@link HubState#keepWaitingOf}) is added to it, so that no
 * event raised on either side goes unpublished. The base is the larger side's because with a quorum ({@link Quorum})
 * that is the side that decided: {@link HubState#version} cannot tell (the smaller side's copy also changed, in the
 * moments before its member noticed the cut, by decisions that failed for want of their backup and were never
 * acknowledged: the hub sent them again to the larger side). What the base counted itself is not added: a forwarded
 * alert whose header it remembers (it decided that alert's resend), a summary or storm end of a period it was
 * deciding (it publishes that period under the same eventId with its own count); adding those would count alerts
 * twice or publish one eventId with two counts. A hub only one side holds is kept (the other side forgot it as idle,
 * or lost both its copies). Counts still open on the smaller side (a storm's current period, an open group share)
 * cannot be added exactly (the two copies share an unknown past), and are lost: with a quorum they hold nothing
 * acknowledged; without one, that is what the quorum prevents (src/docs/design.md, "Split brain").
 *
 * <p>Hazelcast sends the policy with the merging entries, so it is DataSerializable (it has no state to write).
 */
public final class HubStateMerge implements SplitBrainMergePolicy<HubState, MergingValue<HubState>, Object> {
  @Override
  public Object merge(MergingValue<HubState> merging, MergingValue<HubState> existing) {
    if (existing == null) return merging.getRawValue();
    HubState theirs = merging.getValue();
    HubState ours = existing.getValue();
    if (theirs == null) return existing.getRawValue();
    if (ours == null) return merging.getRawValue();
    return ours.keepWaitingOf(theirs) ? ours : existing.getRawValue();
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
