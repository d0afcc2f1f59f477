package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Eui64;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubAttention;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalBursts;
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
  private volatile java.util.function.Consumer<Alert> stormingDevices;

  /** The registry of the member an operation runs on; null on a member without one (tests of bare maps). */
  static OwnedHubs of(HazelcastInstance instance) {
    return instance == null ? null : (OwnedHubs) instance.getUserContext().get(USER_CONTEXT_KEY);
  }

  public void joined(HazelcastInstance instance) {
    member.joined(instance);
  }

  /** Where this member's hub events go from now on; null stops publishing (leaving: the events stay in the hubs). */
  public void publishTo(EventSink sink) {
    this.sink = sink;
    if (sink == null) announced.clear();
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

  /** Told on the hub's owner of each alert whose device storms by itself (the register's stormed devices). */
  public void stormingDevicesTo(java.util.function.Consumer<Alert> listener) {
    this.stormingDevices = listener;
  }

  void stormingDevices(List<Alert> alerts) {
    java.util.function.Consumer<Alert> listener = stormingDevices;
    if (listener != null) alerts.forEach(listener);
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
    HubJournal j = journal;
    if (j != null) j.hubChanged(hubId, state, replay); // before the operation answers: what a PUBACK promises is on disk
    indexAndPublish(hubId, state, raised, policy, onBackup);
  }

  /**
   * For an operation whose change no acknowledgement stands for (a receipt: an event stops waiting; a read-out):
   * not journaled, so a forwarded alert costs one image, not two. After a crash such an event is published again
   * with its eventId, which the DSP drops.
   */
  void afterUnpromisedOperation(String hubId, HubState state, AlertPolicy policy, boolean onBackup) {
    indexAndPublish(hubId, state, List.of(), policy, onBackup);
  }

  private void indexAndPublish(String hubId, HubState state, List<HubEvent> raised, AlertPolicy policy, boolean onBackup) {
    HubAttention a = state.attention(policy);
    noted(hubId, a);
    EventSink out = sink;
    if (!onBackup && out != null) {
      if (announced.contains(hubId)) {
        raised.forEach(out::hubEvent);
      } else if (a != null && a.eventsWaiting()) {
        state.waiting().forEach(out::hubEvent); // first time this member publishes for the hub: everything waiting
        announced.add(hubId);
      }
    }
    if (a == null || !a.eventsWaiting()) announced.remove(hubId);
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
