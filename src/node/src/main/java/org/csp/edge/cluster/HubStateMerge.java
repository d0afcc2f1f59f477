package org.csp.edge.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import java.util.HashSet;
import java.util.Set;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;

/**
 * How {@code csp-hub-state} heals after a split (cluster-config/*.xml name it as the map's merge policy): for each hub
 * the smaller side held, Hazelcast asks this, on the hub's owner in the larger side, with both sides' copies.
 *
 * <p>With a quorum ({@link Quorum}) only one side could change a hub; its copy has the higher {@link HubState#version}
 * (every operation that changes a hub counts one, on the owner and its backups alike), and it is kept; the other
 * copy's waiting events are added to it (below), which can bring back an event the kept side already delivered: the
 * same event, same id and count, a repeat the DSP drops (one version cannot tell a stale copy from one that
 * changed too, so this costs a repeat rather than risk dropping an event). A hub
 * only one side holds is kept (the other side forgot it as idle, or lost both its copies). If both sides changed the
 * hub (no quorum configured, or a change in the moments before a cut-off member noticed the cut), neither copy
 * contains the other: the one with more changes is kept, and every event waiting in the other that it lacks is added
 * to it, so that no event raised on either side goes unpublished. Counts still open on the other side (a storm's
 * current period, an open group share) cannot be added exactly (the two copies share an unknown past), and are lost:
 * that is what the quorum prevents (src/docs/design.md, "Split brain").
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
    HubState kept = theirs.version() > ours.version() ? theirs : ours;
    HubState other = kept == theirs ? ours : theirs;
    Set<String> keptIds = new HashSet<>();
    for (HubEvent e : kept.waiting()) keptIds.add(e.eventId());
    boolean lacksOne = false;
    for (HubEvent e : other.waiting()) lacksOne |= !keptIds.contains(e.eventId());
    if (!lacksOne) {
      return kept == theirs ? merging.getRawValue() : existing.getRawValue();
    }
    kept.keepWaitingOf(other);
    return kept;
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
