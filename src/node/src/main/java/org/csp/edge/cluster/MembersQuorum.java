package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionFunction;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quorum test of {@link Quorum#NAME}: this member's side has at least {@code required} members, counting as
 * present the members that left on purpose ({@link LeavingMembers}: they said so before they went). A member cut off
 * cannot tell a crash from a partition, so the members it lost count against it; but a release stopped member by
 * member, or scaled in, must leave its last members able to settle and flush, and so do members that announced their
 * leaving. Once the cluster grows again, the departed no longer count: a later split is judged by the members then.
 */
final class MembersQuorum implements SplitBrainProtectionFunction, MembershipListener {
  private final int required;
  /** Members that announced their leaving (the map csp-members-leaving), present or already gone. */
  private final Set<UUID> leaving = ConcurrentHashMap.newKeySet();

  MembersQuorum(int required) {
    this.required = required;
  }

  @Override
  public boolean apply(Collection<Member> members) {
    Set<UUID> present = new HashSet<>();
    for (Member m : members) present.add(m.getUuid());
    int departed = 0;
    for (UUID u : leaving) if (!present.contains(u)) departed++;
    return members.size() + departed >= required;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    Set<UUID> present = new HashSet<>();
    for (Member m : event.getMembers()) present.add(m.getUuid());
    leaving.retainAll(present);
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    // Judged in apply, with the members that remain.
  }

  /** Fed by every member's listener on csp-members-leaving (ClusterConfigs): a member announced its leaving. */
  EntryAddedListener<UUID, Long> announcements() {
    return new Announcements(leaving);
  }

  private record Announcements(Set<UUID> leaving) implements EntryAddedListener<UUID, Long> {
    @Override
    public void entryAdded(EntryEvent<UUID, Long> event) {
      leaving.add(event.getKey());
    }
  }
}
