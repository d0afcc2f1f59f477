package org.csp.edge.cluster;

import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.RegionalBursts;
import org.csp.edge.decision.HubAttention;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubState;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This member's side of the hub map: which hubs need something from their owner (settling, events to publish,
 * group shares), kept up to date by the operations themselves as they run on this member, as owner or as backup.
 * Keeping it on backups too means a member that is promoted when an owner dies already knows that owner's storms.
 * It is member-local (Hazelcast's user context), never shared: each member sweeps only the hubs it owns.
 *
 * <p>Events raised on this member as owner go straight to {@link #publishTo its publisher}; {@code announced} says
 * for which hubs the publisher has every waiting event, so that a hub arriving by migration is read out once.
 */
public final class OwnedHubs {
  /** The key in Hazelcast's user context, set in the member's configuration before it starts. */
  public static final String USER_CONTEXT_KEY = "csp.owned-hubs";

  private final Map<String, HubAttention> attention = new ConcurrentHashMap<>();
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final RegionalBursts regional;
  private volatile Consumer<HubEvent> publisher;
  private volatile HazelcastInstance member;
  /** The partitions this member owned at the last sweep ({@link #partitionsChanged}); touched by the sweeper only. */
  private BitSet ownedPartitions = new BitSet();

  public OwnedHubs() {
    this.regional = new RegionalBursts(this::members);
  }

  /** The registry of the member an operation runs on; null on a member without one (tests of bare maps). */
  static OwnedHubs of(HazelcastInstance instance) {
    return instance == null ? null : (OwnedHubs) instance.getUserContext().get(USER_CONTEXT_KEY);
  }

  public void joined(HazelcastInstance instance) {
    this.member = instance;
  }

  /** Where this member's hub events go from now on; null stops publishing (leaving: the events stay in the hubs). */
  public void publishTo(Consumer<HubEvent> publisher) {
    this.publisher = publisher;
    if (publisher == null) announced.clear();
  }

  public RegionalBursts regional() {
    return regional;
  }

  /** Called by every operation on this member after it ran on a hub's state (as owner, or as backup). */
  void afterOperation(String hubId, HubState state, List<HubEvent> raised, AlertPolicy policy, boolean onBackup) {
    HubAttention a = state.attention(policy);
    if (a == null) attention.remove(hubId);
    else attention.put(hubId, a);
    Consumer<HubEvent> out = publisher;
    if (!onBackup && out != null) {
      if (announced.contains(hubId)) {
        raised.forEach(out);
      } else if (a != null && a.eventsWaiting()) {
        state.waiting().forEach(out); // first time this member publishes for the hub: everything it has waiting
        announced.add(hubId);
      }
    }
    if (a == null || !a.eventsWaiting()) announced.remove(hubId);
  }

  void noted(String hubId, HubAttention a) {
    if (a == null) attention.remove(hubId);
    else attention.put(hubId, a);
  }

  Map<String, HubAttention> attention() {
    return attention;
  }

  boolean announced(String hubId) {
    return announced.contains(hubId);
  }

  /** Partitions move: a hub this member no longer owns must be read out afresh if it ever comes back. */
  void forgetAnnouncementsNotOwned() {
    announced.removeIf(hub -> !owns(hub));
  }

  /**
   * Whether the partitions this member owns changed since the last call (asked once per sweep): walking every
   * announced hub to hash its id is only worth doing then. One look at each partition's owner, no key hashed.
   */
  boolean partitionsChanged() {
    HazelcastInstance m = live();
    if (m == null) return false;
    BitSet now = new BitSet();
    for (Partition p : m.getPartitionService().getPartitions()) {
      Member owner = p.getOwner();
      if (owner != null && owner.localMember()) now.set(p.getPartitionId());
    }
    boolean changed = !now.equals(ownedPartitions);
    ownedPartitions = now;
    return changed;
  }

  /** The member, or null before it joined and after it left (a stopped node's status is still readable). */
  private HazelcastInstance live() {
    HazelcastInstance m = member;
    return m != null && m.getLifecycleService().isRunning() ? m : null;
  }

  public boolean owns(String hubId) {
    HazelcastInstance m = live();
    if (m == null) return false;
    Partition p = m.getPartitionService().getPartition(hubId);
    Member owner = p.getOwner();
    return owner != null && owner.localMember();
  }

  public boolean isMember(String memberUuid) {
    HazelcastInstance m = live();
    if (m == null) return true;
    for (Member each : m.getCluster().getMembers()) if (each.getUuid().toString().equals(memberUuid)) return true;
    return false;
  }

  public String memberId() {
    HazelcastInstance m = live();
    return m == null ? "local" : m.getCluster().getLocalMember().getUuid().toString();
  }

  public int members() {
    HazelcastInstance m = live();
    return m == null ? 1 : Math.max(1, m.getCluster().getMembers().size());
  }

  /** The oldest member runs cluster-wide chores (re-indexing after a membership change) so they run once. */
  public boolean oldest() {
    HazelcastInstance m = live();
    return m != null && m.getCluster().getMembers().iterator().next().localMember();
  }

  /** Counts over the hubs this member owns, for status and metrics. */
  public Counts counts() {
    int storming = 0, waiting = 0, grouping = 0, sealed = 0;
    long held = 0;
    for (Map.Entry<String, HubAttention> e : attention.entrySet()) {
      if (!owns(e.getKey())) continue;
      HubAttention a = e.getValue();
      if (a.storming()) storming++;
      if (a.eventsWaiting()) waiting++;
      if (!a.openShares().isEmpty()) grouping++;
      for (GroupShare s : a.openShares().values()) held += s.count();
      if (!a.sealedInto().isEmpty()) sealed++;
    }
    return new Counts(storming, waiting, grouping, sealed, held);
  }

  /**
   * Hubs owned here: in storm, with events waiting for the broker, with open group shares, with shares sealed into
   * a group not yet delivered; and the alerts held in open shares.
   */
  public record Counts(int storming, int waiting, int grouping, int sealed, long heldInGroups) {
    public boolean settled() {
      return storming == 0 && waiting == 0 && grouping == 0 && sealed == 0;
    }
  }
}
