package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.alert.Eui64;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubAttention;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalBursts;
import org.csp.edge.decision.StormEvent;
import org.csp.edge.upstream.EventSink;

/**
 * This member's registry of the hub map: which hubs need something from their owner (settling, events to publish,
 * group shares), kept up to date by the operations themselves as they run on this member, as owner or as backup.
 * Keeping it on backups too means a member that is promoted when an owner dies already knows that owner's storms.
 * It is member-local (Hazelcast's user context), never shared: each member sweeps only the hubs it owns. The
 * operations reach through it the member's burst detector ({@link #regional}) and its view of the cluster
 * ({@link #member}).
 *
 * <p>Events raised on this member as owner go straight to {@link #publishTo its sink}; {@code announced} says for
 * which hubs the sink has every waiting event, so that a hub arriving by migration is read out once.
 */
public final class OwnedHubs {
  /** The key in Hazelcast's user context, set in the member's configuration before it starts. */
  public static final String USER_CONTEXT_KEY = "csp.owned-hubs";

  /** Hubs that need their owner; for a hub with an EUI-64 id, without its open shares, which {@link #grouping} keeps. */
  private final Map<String, HubAttention> attention = new ConcurrentHashMap<>();
  private final GroupingHubs grouping = new GroupingHubs();
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final MemberView member = new MemberView();
  private final RegionalBursts regional = new RegionalBursts(member::members);
  private volatile EventSink sink;
  /** Alerts decided on this member, as owner, from devices (or with codes) past their hub's bound. */
  private final LongAdder alertsPastDeviceBound = new LongAdder();
  private final LongAdder alertsPastCodeBound = new LongAdder();
  /** Alerts this member held per silence id as the hubs' owner, since start (org.csp.edge.silence shares them). */
  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> silenced = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile HubJournal journal;
  /**
   * Summaries and storm ends raised on this member as owner and not handed to the sink yet, per hub, in the order
   * raised. They carry counts: an owner cut off from its backups, before it notices, could otherwise publish a period
   * that the other side, from its copy without that change, publishes again with another count. They go out once an
   * operation of this member on the hub, run after them, had its backups' acknowledgement ({@link #confirmed}); a
   * member alone has no backup to wait for. Every event of a decision this member asked of itself is held too,
   * until that decision is answered ({@link #answered}): a forwarded alert that a member cut off decided, and could
   * not acknowledge, must not go out, as the hub sends it again to the other side, which may consolidate it.
   * Events of decisions asked by another member go at once (forwarded alerts and storm starts carry no count that
   * could differ).
   */
  private final Map<String, List<Held>> unconfirmed = new ConcurrentHashMap<>();
  /** Numbers the held events member-wide, so that a confirmation covers exactly those held before it ran. */
  private final java.util.concurrent.atomic.AtomicLong heldSequence = new java.util.concurrent.atomic.AtomicLong();

  private record Held(long sequence, HubEvent event) {}

  /** The registry of the member an operation runs on; null on a member without one (tests of bare maps). */
  static OwnedHubs of(HazelcastInstance instance) {
    return instance == null ? null : (OwnedHubs) instance.getUserContext().get(USER_CONTEXT_KEY);
  }

  public void joined(HazelcastInstance instance) {
    member.joined(instance);
    var protection = instance.getConfig().getSplitBrainProtectionConfigs().get(Quorum.NAME);
    if (protection != null && protection.isEnabled()
        && protection.getFunctionImplementation() instanceof MembersQuorum function) {
      quorum = function;
    }
  }

  /** This member's quorum test, once it joined with one configured; null without. */
  private volatile MembersQuorum quorum;

  /**
   * Refuses an operation on a hub's owner when this member's side has no quorum by the member list as it is now.
   * Hazelcast's own protection judges by a status that its membership events update a moment after the member list
   * and the partition table: in that moment a member just cut off, now owner of every partition and with no backup
   * to wait for, would decide and acknowledge alone (seen in SplitBrainWindowTest).
   */
  void ensureQuorum() {
    MembersQuorum q = quorum;
    if (q != null && !q.apply(member.memberList())) {
      throw new com.hazelcast.splitbrainprotection.SplitBrainProtectionException(
          "this member's side of the cluster has fewer than " + q.required() + " members");
    }
  }

  /** Where this member's hub events go from now on; null stops publishing (leaving: the events stay in the hubs). */
  public void publishTo(EventSink sink) {
    this.sink = sink;
    if (sink == null) {
      announced.clear();
      unconfirmed.clear(); // they wait in their hubs' state, for the next owner
    }
  }

  /** Where every change of a hub's state on this member is journaled from now on (src/docs/design.md, "A node that crashes"). */
  public void journalTo(HubJournal journal) {
    this.journal = journal;
  }

  HubJournal journal() {
    return journal;
  }

  /** The member's regional burst detector, asked by the hub operations it owns. */
  public RegionalBursts regional() {
    return regional;
  }

  public MemberView member() {
    return member;
  }

  /** Counted on the hub's owner: alerts decided without their device's headers, or without their code's storm state. */
  void silenced(Map<String, Integer> bySilence) {
    bySilence.forEach((id, n) -> silenced.computeIfAbsent(id, k -> new LongAdder()).add(n));
  }

  /** The alerts this member held per silence id since it started, as the owner of their hubs. */
  public Map<String, Long> heldBySilence() {
    Map<String, Long> totals = new java.util.TreeMap<>();
    silenced.forEach((id, n) -> totals.put(id, n.sum()));
    return totals;
  }

  void pastBounds(int devices, int codes) {
    if (devices > 0) alertsPastDeviceBound.add(devices);
    if (codes > 0) alertsPastCodeBound.add(codes);
  }

  /** Alerts from devices past their hub's {@code policy.maxDevicesPerHub}: no duplicate check, counted under other. */
  public long alertsPastDeviceBound() {
    return alertsPastDeviceBound.sum();
  }

  /** Alerts with codes past their hub's {@code policy.maxCodesPerHub}: no hub storm, forwarded or grouped. */
  public long alertsPastCodeBound() {
    return alertsPastCodeBound.sum();
  }

  /**
   * Called by every operation on this member after it ran on a hub's state (as owner, or as backup); {@code replay}
   * is the operation as its backup runs it (the owner's regional answers in it), what the journal keeps.
   */
  void afterOperation(String hubId, HubState state, List<HubEvent> raised, AlertPolicy policy, boolean onBackup,
      HubOperation<?> replay) {
    afterOperation(hubId, state, raised, policy, onBackup, replay, false);
  }

  /** As above; with {@code holdAll}, every event raised is held until {@link #answered} (a decision asked locally). */
  void afterOperation(String hubId, HubState state, List<HubEvent> raised, AlertPolicy policy, boolean onBackup,
      HubOperation<?> replay, boolean holdAll) {
    HubJournal j = journal;
    if (j != null) j.hubChanged(hubId, state, replay); // before the operation answers: what a PUBACK promises is on disk
    indexAndPublish(hubId, state, raised, policy, onBackup, holdAll);
  }

  /**
   * For an operation whose change no acknowledgement stands for (a receipt: an event stops waiting; a read-out):
   * not journaled, so a forwarded alert costs one image, not two. After a crash such an event is published again
   * with its eventId, which the DSP drops.
   */
  void afterUnpromisedOperation(String hubId, HubState state, AlertPolicy policy, boolean onBackup) {
    indexAndPublish(hubId, state, List.of(), policy, onBackup, false);
  }

  private void indexAndPublish(String hubId, HubState state, List<HubEvent> raised, AlertPolicy policy, boolean onBackup,
      boolean holdAll) {
    HubAttention a = state.attention(policy);
    noted(hubId, a);
    EventSink out = sink;
    if (!onBackup && out != null) {
      if (announced.contains(hubId)) {
        for (HubEvent e : raised) publish(hubId, e, out, holdAll);
      } else if (a != null && a.eventsWaiting()) {
        // First time this member publishes for the hub: everything waiting.
        for (HubEvent e : state.waiting()) publish(hubId, e, out, holdAll);
        announced.add(hubId);
      }
    }
    if (a == null || !a.eventsWaiting()) announced.remove(hubId);
  }

  private void publish(String hubId, HubEvent e, EventSink out, boolean holdAll) {
    boolean counts = e instanceof StormEvent.Summary || e instanceof StormEvent.Ended;
    if (member.members() <= 1) {
      // Alone: no backup to wait for. But a member alone that needs others for its quorum was cut off (its
      // operations refuse: ensureQuorum), and one that a receipt or read-out reaches in the moment before
      // Hazelcast's protection notices must not publish what its copies hold: those events wait in the hubs' state.
      MembersQuorum q = quorum;
      if (q == null || q.apply(member.memberList())) out.hubEvent(e);
      return;
    }
    if (!(counts || holdAll)) {
      out.hubEvent(e);
      return;
    }
    unconfirmed.compute(hubId, (hub, held) -> {
      List<Held> list = held == null ? new ArrayList<>(2) : held;
      list.add(new Held(heldSequence.incrementAndGet(), e));
      return list;
    });
  }

  /**
   * The last of the hub's events held for a backed-up operation, as the operation running now on the hub's partition
   * sees them (0: none); {@link #confirmed} with it releases those and no later one.
   */
  long unconfirmed(String hubId) {
    long[] last = {0};
    unconfirmed.computeIfPresent(hubId, (hub, held) -> {
      last[0] = held.get(held.size() - 1).sequence();
      return held;
    });
    return last[0];
  }

  /**
   * As {@link #unconfirmed}, for an operation whose backups' answer is to release the held events: 0 (nothing) when
   * the hub's partition lacks a backup it should have, as the operation then completed without waiting for one
   * ({@link MemberView#backedUp}). The events wait for a later read-out on a partition backed up again.
   */
  long confirmable(String hubId) {
    return member.backedUp(hubId) ? unconfirmed(hubId) : 0;
  }

  /** The members as this member sees them now: what an operation that is to release held events was asked among. */
  java.util.Collection<com.hazelcast.cluster.Member> membersNow() {
    return member.memberList();
  }

  /**
   * Whether every member of {@code asked} is still in the list. One that left while the operation ran may have been
   * its backup, which the operation then stopped waiting for: it answered without a backup's acknowledgement, so it
   * releases nothing (a member cut off, as it drops the others, would otherwise publish what only it holds).
   */
  boolean noneLeftSince(java.util.Collection<com.hazelcast.cluster.Member> asked) {
    return member.memberList().containsAll(asked);
  }

  /**
   * A decision this member asked of itself as the hub's owner ({@link DecideAlertsOperation#heldForAnswer}) was
   * acknowledged by the hub's backups: what it raised, and what was held before it, goes out. One it could not have
   * acknowledged never gets here; its events stay held (a later read-out with its backups' answer releases them, a
   * member cut off never gets one).
   */
  void answered(String hubId, DecideAlertsOperation decided) {
    confirmed(hubId, decided.heldUpTo());
  }

  /** Whether the hub has events held for a backed-up operation. */
  boolean holds(String hubId) {
    return unconfirmed.containsKey(hubId);
  }

  /**
   * An operation that saw the hub's held events up to {@code upTo} had its backups' acknowledgement: so had the
   * operations that raised them, which ran before it on the hub's partition. They go to the sink now.
   */
  void confirmed(String hubId, long upTo) {
    if (upTo <= 0) return;
    List<HubEvent> out = new ArrayList<>(2);
    unconfirmed.computeIfPresent(hubId, (hub, held) -> {
      held.removeIf(h -> {
        if (h.sequence() > upTo) return false;
        out.add(h.event());
        return true;
      });
      return held.isEmpty() ? null : held;
    });
    EventSink s = sink;
    if (s != null) out.forEach(s::hubEvent);
  }

  /**
   * After a split healed, this member's copies were merged into the other side's: what it held unconfirmed may not
   * be what the merged copies hold, and every hub it owns is read out afresh.
   */
  public void merged() {
    unconfirmed.clear();
    announced.clear();
  }

  void noted(String hubId, HubAttention a) {
    long key = GroupingHubs.key(hubId);
    if (key != Eui64.NOT_AN_ID) {
      // Most hubs of a burst need nothing but the sealing of their open share: no entry of their own for those.
      grouping.noted(key, a == null ? Map.of() : a.openShares());
      a = a == null ? null : a.withoutOpenShares();
    }
    // Most operations of a burst's hub find it without an entry: a look without the bin's lock that remove takes.
    // A hub is noted by its partition's thread only, so nothing adds it between the look and the removal.
    if (a == null) {
      if (attention.containsKey(hubId)) attention.remove(hubId);
    } else {
      attention.put(hubId, a);
    }
  }

  /** The hub's state was removed (idle): from the index, and from the journal. */
  void forgotten(String hubId) {
    noted(hubId, null);
    HubJournal j = journal;
    if (j != null) j.hubForgotten(hubId);
  }

  /** The hubs that need their owner; open shares only of hubs whose id is no EUI-64 (the others': {@link #grouping}). */
  Map<String, HubAttention> attention() {
    return attention;
  }

  /** The open shares, by code, of the hubs whose id is an EUI-64. */
  GroupingHubs grouping() {
    return grouping;
  }

  boolean announced(String hubId) {
    return announced.contains(hubId);
  }

  /** Partitions move: a hub this member no longer owns must be read out afresh if it ever comes back. */
  void forgetAnnouncementsNotOwned() {
    OwnedPartitions mine = member.ownership();
    announced.removeIf(hub -> !mine.owns(hub));
    // A hub that came back may have changed elsewhere: its journaled changes would replay on a stale image.
    unconfirmed.keySet().removeIf(hub -> !member.owns(hub)); // the new owner reads them out of the hub's state
    HubJournal j = journal;
    if (j != null) j.imagesAgain();
  }

  /** The storms in progress among the hubs this member owns, each list cut to {@code top} (the console's live page). */
  public StormBoard stormBoard(int top) {
    OwnedPartitions mine = member.ownership();
    return StormBoard.of(attention, mine::owns, top);
  }

  /** Counts over the hubs this member owns, for status and metrics. */
  public HubCounts counts() {
    OwnedPartitions mine = member.ownership();
    return HubCounts.of(attention, grouping, mine::owns, mine::owns);
  }
}
