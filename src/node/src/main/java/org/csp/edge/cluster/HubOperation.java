package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import org.csp.edge.decision.HubState;

/**
 * An entry processor on one hub's state that keeps the member's {@link OwnedHubs} up to date. Hazelcast hands it
 * the member it runs on, as owner or, for its backup copy, as backup.
 */
abstract class HubOperation<R> implements EntryProcessor<String, HubState, R>, HazelcastInstanceAware {
  private transient HazelcastInstance member;

  @Override
  public final void setHazelcastInstance(HazelcastInstance member) {
    this.member = member;
  }

  /** The registry of the member this runs on; null on a member without one (tests of bare maps). */
  final OwnedHubs owned() {
    return OwnedHubs.of(member);
  }
}
