package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.query.Predicate;
import java.util.Map;
import org.csp.edge.decision.HubState;

/**
 * Idle expiry, done by the hubs' owners instead of Hazelcast's {@code max-idle-seconds} (which costs 64 bytes of
 * expiry metadata per hub; src/docs/design.md, "Where state lives"): removes a hub that had no alert since
 * {@code before} and holds nothing (no open storm, no event waiting for the broker, no group share), so that no alert
 * the node has accounted for is ever dropped. Run over the whole map with {@link Idle} as its predicate; the backup
 * copy of each partition runs the same test on its identical copy of the hub. Answers nothing (null), so a sweep that
 * forgets many hubs sends no results back.
 */
final class ForgetIdleHubsOperation extends HubOperation<Boolean> {
  private final long before;

  ForgetIdleHubsOperation(long before) {
    this.before = before;
  }

  @Override
  public Boolean process(Map.Entry<String, HubState> entry) {
    // The backup copy runs without the predicate, so the test is made here again.
    if (!idle(entry.getValue(), before)) return null;
    entry.setValue(null);
    OwnedHubs owned = owned();
    if (owned != null) owned.forgotten(entry.getKey());
    return null;
  }

  @Override
  public EntryProcessor<String, HubState, Boolean> getBackupProcessor() {
    return this;
  }

  /** The hubs {@link ForgetIdleHubsOperation} would remove: the scan of a partition visits only those. */
  static final class Idle implements Predicate<String, HubState> {
    private final long before;

    Idle(long before) {
      this.before = before;
    }

    @Override
    public boolean apply(Map.Entry<String, HubState> entry) {
      return idle(entry.getValue(), before);
    }
  }

  private static boolean idle(HubState state, long before) {
    return state != null && state.idleSince(before);
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  long before() {
    return before;
  }

  /** The predicate's hubs are those idle since {@code before}. */
  static long before(Idle idle) {
    return idle.before;
  }
}
