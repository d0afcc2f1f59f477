package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.splitbrainprotection.HeartbeatAware;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionFunction;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quorum test of {@link Quorum#NAME}: this member's side has at least {@code required} members, counting as
 * present this member, the members it heard a heartbeat from within the tolerance, and the members that left on
 * purpose ({@link LeavingMembers}: they said so before they went). A member cut off cannot tell a crash from a
 * partition, so the members it lost count against it; but a release stopped member by member, or scaled in, must
 * leave its last members able to settle and flush, and so do members that announced their leaving. Once the cluster
 * grows again, the departed no longer count: a later split is judged by the members then.
 *
 * <p>Why heartbeats and not the member list: the list changes only when Hazelcast drops a member, after {@code
 * hazelcast.max.no.heartbeat.seconds} (60 s), and until then a member cut off would go on deciding while the other
 * side takes over its hubs from backups that lack those decisions (design.md, "Split brain"). Hazelcast tells this
 * function of every heartbeat and asks it again every heartbeat interval, so a cut-off side loses its quorum about
 * one tolerance after the cut.
 *
 * <p>Silence is measured on this member's own running clock: a pause of this member (a GC, a starved machine) is not
 * counted as the others' silence, or every member would lose its quorum on waking, before reading the heartbeats
 * that arrived meanwhile. Hazelcast calls {@link #apply} and {@link #onHeartbeat} from one thread; the methods are
 * synchronized anyway, for the membership callbacks.
 */
final class MembersQuorum implements SplitBrainProtectionFunction, MembershipListener, HeartbeatAware {
  private static final Logger log = LoggerFactory.getLogger(MembersQuorum.class);
  private final int required;
  private final long toleranceNanos;
  /** The longest step of the running clock: a longer gap between two readings is this member's own pause. */
  private final long longestStepNanos;
  private final LongSupplier nanoTime;
  /** Members that announced their leaving (the map csp-members-leaving), present or already gone. */
  private final Set<UUID> leaving = ConcurrentHashMap.newKeySet();
  /** When each member of the list was last heard (or first seen), on the running clock. */
  private final Map<UUID, Long> heard = new HashMap<>();
  private long running;
  private long lastReading;
  /** The last answer, to log its changes. */
  private boolean verdict;

  /**
   * @param tolerance how long a member may go unheard and still count
   * @param heartbeatInterval Hazelcast's ({@code hazelcast.heartbeat.interval.seconds}): Hazelcast asks this function
   *     again at this interval, so a gap of two intervals between readings means this member itself stood still
   */
  MembersQuorum(int required, Duration tolerance, Duration heartbeatInterval) {
    this(required, tolerance, heartbeatInterval, System::nanoTime);
  }

  MembersQuorum(int required, Duration tolerance, Duration heartbeatInterval, LongSupplier nanoTime) {
    this.required = required;
    this.toleranceNanos = tolerance.toNanos();
    this.longestStepNanos = 2 * heartbeatInterval.toNanos();
    this.nanoTime = nanoTime;
    this.lastReading = nanoTime.getAsLong();
  }

  @Override
  public synchronized boolean apply(Collection<Member> members) {
    long now = advance();
    Set<UUID> present = new HashSet<>();
    int counted = 0;
    for (Member m : members) {
      UUID id = m.getUuid();
      present.add(id);
      // A member never heard yet (it just joined, or this member just started) gets one tolerance to be heard.
      long heardAt = heard.computeIfAbsent(id, u -> now);
      if (m.localMember() || leaving.contains(id) || now - heardAt < toleranceNanos) counted++;
    }
    heard.keySet().retainAll(present);
    for (UUID u : leaving) if (!present.contains(u)) counted++;
    boolean has = counted >= required;
    if (has != verdict) {
      verdict = has;
      log.info("quorum {}: {} members counted, {} needed (each other member last heard: {})", has ? "present" : "lost", counted,
          required, unheard(members, now));
    }
    return has;
  }

  /** Each member of the list and how long it has been unheard, for the log. */
  private String unheard(Collection<Member> members, long now) {
    StringBuilder out = new StringBuilder();
    for (Member m : members) {
      if (m.localMember()) continue;
      Long at = heard.get(m.getUuid());
      out.append(m.getAddress()).append(' ').append(at == null ? "never" : Duration.ofNanos(now - at).toMillis() + " ms ago").append("; ");
    }
    return out.length() == 0 ? "no other member in the list" : out.toString();
  }

  @Override
  public synchronized void onHeartbeat(Member member, long timestamp) {
    // The time of receipt, not the sender's timestamp: the members' clocks need not agree.
    heard.put(member.getUuid(), advance());
  }

  /** Moves the running clock on by the time since the last reading, at most one longest step. */
  private long advance() {
    long reading = nanoTime.getAsLong();
    running += Math.min(Math.max(0, reading - lastReading), longestStepNanos);
    lastReading = reading;
    return running;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    Set<UUID> present = new HashSet<>();
    for (Member m : event.getMembers()) present.add(m.getUuid());
    leaving.retainAll(present);
  }

  @Override
  public synchronized void memberRemoved(MembershipEvent event) {
    // Judged in apply, with the members that remain; one that comes back is heard afresh.
    heard.remove(event.getMember().getUuid());
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
