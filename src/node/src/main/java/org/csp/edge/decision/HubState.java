package org.csp.edge.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.alert.Alert;

/**
 * Everything the cluster remembers about one Communications Hub: per alert code its storm state, per device the
 * header counters recently seen, the events raised and not yet acknowledged by the broker, and its shares of
 * regional groups. It is the value of the shared hub map, so all of one hub's decisions happen in one place,
 * atomically, and are backed up together, whichever node received the alert.
 *
 * <p>A member holds one per tracked hub, a million and more, so its layout is chosen for heap (issue 4: at most
 * 256 bytes per hub and code; src/docs/performance.md, "Memory"): between operations what every tracked hub has
 * (its codes' rates, its devices' recent header counters, its remembered operations, its last alert) is one byte
 * array ({@link HubTracking#pack}), unpacked for the operation that runs on it and packed again after; an open
 * storm keeps the hub unpacked until it ends. Everything transient (events waiting for the broker, group shares:
 * {@link GroupShares}) is an object of its own, null when there is none. How an alert is decided is not here but
 * in {@link AlertStages}.
 */
public final class HubState {
  /** The hub's tracking, packed; null while {@link #tracked} holds it (in storm) or before the first alert. */
  private byte[] packed;
  /** The hub's tracking as objects, only while one of its codes storms; otherwise null. */
  private HubTracking tracked;
  /** Raised, not yet acknowledged upstream, oldest first; null when none (most hubs, most of the time). */
  private ArrayList<HubEvent> waiting;
  /** Its shares of regional groups, open and sealed; null when none. */
  private GroupShares shares;
  /**
   * How many operations changed this hub: owner and backups run the same operations, so their copies agree. When a
   * split cluster heals, the side whose copy changed more is the one that decided (cluster.HubStateMerge).
   */
  private long version;
  /** What silences and inhibitions hold on this hub; null when nothing (most hubs, most of the time). */
  private HubMuting muting;

  /**
   * The answer to one operation: a verdict per alert, the events it raised (already kept as waiting), and the
   * regional questions it asked with their answers, for the operation's backup copy ({@link #replay}); and how many
   * of its alerts came from devices, or had codes, past the hub's bounds ({@link AlertPolicy#maxDevicesPerHub},
   * {@link AlertPolicy#maxCodesPerHub}).
   */
  public record Outcome(byte[] verdicts, List<HubEvent> raised, RegionalAnswers answers, int untrackedDevices,
      int untrackedCodes, Map<String, Integer> silenced) {}

  /** Decides every alert of a batch from this hub, in order, on the hub's owner: regional questions go to {@code gate}. */
  public Outcome apply(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy, RegionalGate gate) {
    return apply(hubId, operationId, alerts, now, policy, List.of(), gate);
  }

  /** As above, with the silences in force that the operation carries ({@link Silence}). */
  public Outcome apply(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      List<Silence> silences, RegionalGate gate) {
    HubTracking t = tracked != null ? tracked : HubTracking.unpack(packed);
    return decide(operationId, alerts, HubDecision.onOwner(hubId, now, policy, t, silences, muting, gate));
  }

  /**
   * The backup copy of {@link #apply}: the same decisions, the regional questions answered as the owner's were
   * ({@code owners}); a question the owner was not asked fails ({@link IllegalStateException}).
   */
  public Outcome replay(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      RegionalAnswers owners) {
    return replay(hubId, operationId, alerts, now, policy, List.of(), owners);
  }

  /** As above, with the silences the owner's copy of the operation carried. */
  public Outcome replay(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      List<Silence> silences, RegionalAnswers owners) {
    HubTracking t = tracked != null ? tracked : HubTracking.unpack(packed);
    return decide(operationId, alerts, HubDecision.onBackup(hubId, now, policy, t, silences, muting, owners));
  }

  private Outcome decide(long operationId, List<Alert> alerts, HubDecision hub) {
    HubTracking t = hub.tracking;
    byte[] earlier = t.verdictsOf(operationId);
    if (earlier != null) return new Outcome(earlier, List.of(), RegionalAnswers.NONE, 0, 0, Map.of());
    // Held periods over by now are raised before this operation's alerts are counted (as storms settle first).
    if (hub.muting != null) hub.muting.settle(hub.now, hub.hubId, hub.policy.maxDevicesPerSummary(), false, hub.raised);
    byte[] verdicts = new byte[alerts.size()];
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      hub.next(i, alert);
      Verdict v = AlertStages.decide(alert, hub);
      if (v == Verdict.GROUPED) {
        if (shares == null) shares = new GroupShares();
        shares.add(alert.alertCode(), hub.now);
      }
      verdicts[i] = (byte) v.ordinal();
    }
    keepWaiting(hub.raised);
    version++;
    t.remember(operationId, verdicts);
    t.lastAlertAt = Math.max(t.lastAlertAt, hub.now);
    keep(t);
    muting = hub.muting == null || hub.muting.isEmpty() ? null : hub.muting;
    return new Outcome(verdicts, hub.raised, hub.answers(), hub.untrackedDevices, hub.untrackedCodes,
        hub.silenced == null ? Map.of() : hub.silenced);
  }

  /** Raises the summaries and storm ends due at {@code now}; with {@code flushOpenPeriods}, every open period too. */
  public List<HubEvent> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods) {
    HubTracking t = tracked;
    if (t == null && muting == null) return new ArrayList<>(0); // packed, nothing held: nothing is ever due
    List<HubEvent> raised = new ArrayList<>(0);
    if (t != null) {
      List<StormEvent> events = new ArrayList<>(0);
      for (CodeStorm storm : t.codes()) {
        storm.settle(now, hubId, policy.forCode(storm.alertCode()), policy.maxDevicesPerSummary(), flushOpenPeriods, events);
      }
      raised.addAll(events);
    }
    if (muting != null) {
      muting.settle(now, hubId, policy.maxDevicesPerSummary(), flushOpenPeriods, raised);
      if (muting.isEmpty()) muting = null;
    }
    keepWaiting(raised);
    version++;
    if (t != null) keep(t);
    return raised;
  }

  /** The events waiting for the broker, oldest first. */
  public List<HubEvent> waiting() {
    return waiting == null ? List.of() : List.copyOf(waiting);
  }

  /** The broker acknowledged these events: forget them. Returns whether anything changed. */
  public boolean delivered(Set<String> eventIds) {
    if (waiting == null) return false;
    boolean changed = waiting.removeIf(e -> eventIds.contains(e.eventId()));
    if (waiting.isEmpty()) waiting = null;
    if (changed) version++;
    return changed;
  }

  /**
   * Seals the open share of {@code alertCode} into the group {@code groupId}. Idempotent: asked again for the same
   * group it returns the same share; a share already sealed into another group is not taken twice.
   */
  public GroupShare seal(String alertCode, String groupId, String creator) {
    if (shares == null) return null;
    version++;
    return shares.seal(alertCode, groupId, creator);
  }

  /** The group event was acknowledged upstream: its share is delivered. */
  public boolean releaseSeal(String groupId) {
    boolean changed = shares != null && shares.release(groupId);
    if (changed && shares.isEmpty()) shares = null;
    if (changed) version++;
    return changed;
  }

  /** The group was never recorded (its member died first): the share goes back to the open one, to be grouped again. */
  public boolean unseal(String groupId) {
    boolean changed = shares != null && shares.unseal(groupId);
    if (changed) version++;
    return changed;
  }

  /** How many operations changed the hub (see {@link #version}); 0 for a hub written by a release without it. */
  public long version() {
    return version;
  }

  /**
   * Keeps, besides this hub's own, every event of {@code other} (the smaller side of a healed split,
   * cluster.HubStateMerge) that is not waiting here and that this copy did not count itself: so that no event raised
   * on either side is dropped unpublished, and none is published twice or with two counts. Returns whether one was
   * added (then it counts as one change).
   */
  public boolean keepWaitingOf(HubState other) {
    if (other.waiting == null) return false;
    Set<String> here = new java.util.HashSet<>();
    if (waiting != null) for (HubEvent e : waiting) here.add(e.eventId());
    List<HubEvent> missing = new ArrayList<>();
    for (HubEvent e : other.waiting) if (!here.contains(e.eventId()) && !countedHere(e)) missing.add(e);
    if (missing.isEmpty()) return false;
    keepWaiting(missing);
    version++;
    return true;
  }

  /**
   * Whether this copy counted {@code e}'s alerts itself, under its own events: a forwarded alert whose header it
   * remembers (it decided that alert: forwarded, consolidated or grouped it), a summary or storm end of a period that
   * began before this copy's last alert (it was deciding the hub then, and publishes that period, under the same
   * eventId, with its own count), or the start of a storm it was deciding. Adding such an event would count its
   * alerts twice, or publish one eventId with two counts.
   */
  private boolean countedHere(HubEvent e) {
    long last = lastAlertAt();
    if (e instanceof ForwardedAlert f) {
      HubTracking t = tracked != null ? tracked : HubTracking.unpack(packed);
      return t.remembers(f.alert().deviceId(), f.alert().originatorCounter());
    }
    if (e instanceof StormEvent.Summary s) return s.periodStart() <= last;
    if (e instanceof StormEvent.Ended end) return end.startedAt() <= last;
    if (e instanceof StormEvent.Started start) return start.at() <= last; // the same storm's start, the same id
    return false;
  }

  /** What the hub's owner must do for it, or null when nothing (the common case). */
  public HubAttention attention(AlertPolicy policy) {
    long settleAt = nextDueAt(policy);
    if (settleAt == Long.MAX_VALUE && waiting == null && shares == null) return null;
    Map<String, GroupShare> open = shares == null ? Map.of() : shares.open();
    Map<String, String> seals = shares == null ? Map.of() : shares.sealedInto();
    return new HubAttention(settleAt, waiting != null, open, seals, System.nanoTime(), storms(), muting != null && muting.holds());
  }

  /** The codes in storm, each with the alerts consolidated in its open storm so far; empty when none storms. */
  private Map<String, Long> storms() {
    if (tracked == null) return Map.of();
    Map<String, Long> out = null;
    for (CodeStorm storm : tracked.codes()) {
      if (!storm.inStorm()) continue;
      if (out == null) out = new java.util.HashMap<>(2);
      out.put(storm.alertCode(), storm.consolidatedInStorm());
    }
    return out == null ? Map.of() : out;
  }

  /** Whether one of the hub's codes storms: its state is then unpacked, and grows with the storm's devices. */
  public boolean storming() {
    return tracked != null;
  }

  /** When the hub next needs settling ({@link Long#MAX_VALUE}: never, as when no code storms). */
  public long nextDueAt(AlertPolicy policy) {
    long due = muting == null ? Long.MAX_VALUE : muting.nextDueAt();
    if (tracked == null) return due;
    for (CodeStorm storm : tracked.codes()) {
      if (storm.inStorm()) due = Math.min(due, storm.nextDueAt(policy.forCode(storm.alertCode())));
    }
    return due;
  }

  /**
   * Whether the hub may be forgotten: nothing held (no open storm, no held period or inhibition in force, no event
   * waiting for the broker, no group share open or sealed) and no alert since {@code before}. Idle expiry ({@code cluster.ForgetIdleHubsOperation})
   * removes only such hubs, so that it never drops an alert the node has accounted for.
   */
  public boolean idleSince(long before) {
    return tracked == null && muting == null && waiting == null && shares == null && lastAlertAt() < before;
  }

  /** When the hub's last alert was decided (the operation's time); {@link Long#MIN_VALUE} before any. */
  public long lastAlertAt() {
    if (tracked != null) return tracked.lastAlertAt;
    return packed == null ? Long.MIN_VALUE : HubTracking.lastAlertAt(packed);
  }

  /** After an operation: packed again unless a code storms (an open storm stays as objects until it ends). */
  private void keep(HubTracking t) {
    if (t.storming()) {
      tracked = t;
      packed = null;
    } else {
      packed = t.pack();
      tracked = null;
    }
  }

  private void keepWaiting(List<HubEvent> raised) {
    if (raised.isEmpty()) return;
    if (waiting == null) waiting = new ArrayList<>(raised.size());
    waiting.addAll(raised);
  }

  // The cluster's serialized form (org.csp.edge.cluster.state): the parts as they are, and a hub restored from them.

  /**
   * A hub's state in parts a serializer writes field by field: its tracking packed ({@code null} before the first
   * alert; codes that storm pack their rate only), their open storms beside, the events waiting (oldest first) and
   * its group shares.
   */
  public record Parts(byte[] tracking, List<OpenStormParts> storms, List<HubEvent> waiting,
      Map<String, GroupShare> openShares, List<GroupShare.Sealed> sealed, long version,
      List<HeldPeriodParts> held, List<InhibitionSource> inhibitions) {
    /** A hub as a release without muting wrote it. */
    public Parts(byte[] tracking, List<OpenStormParts> storms, List<HubEvent> waiting,
        Map<String, GroupShare> openShares, List<GroupShare.Sealed> sealed, long version) {
      this(tracking, storms, waiting, openShares, sealed, version, List.of(), List.of());
    }
  }

  public Parts parts() {
    HubTracking t = tracked;
    return new Parts(t != null ? t.pack(true) : packed, t != null ? t.openStorms() : List.of(),
        waiting == null ? List.of() : List.copyOf(waiting), shares == null ? Map.of() : shares.open(),
        shares == null ? List.of() : shares.sealedShares(), version,
        muting == null ? List.of() : muting.heldPeriods(), muting == null ? List.of() : muting.sources());
  }

  /** The hub {@code parts} describe: unpacked while a code storms, packed otherwise, as after an operation. */
  public static HubState of(Parts parts) {
    HubState hub = new HubState();
    if (parts.storms().isEmpty()) {
      hub.packed = parts.tracking();
    } else {
      HubTracking t = HubTracking.unpack(parts.tracking());
      for (OpenStormParts s : parts.storms()) t.restoredStormOf(s.alertCode()).reopen(s);
      hub.tracked = t;
    }
    if (!parts.waiting().isEmpty()) hub.waiting = new ArrayList<>(parts.waiting());
    hub.shares = GroupShares.of(parts.openShares(), parts.sealed());
    hub.version = parts.version();
    hub.muting = HubMuting.of(parts.inhibitions(), parts.held());
    return hub;
  }
}
