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
 * {@link GroupShares}) is an object of its own, null when there is none; but a lone open group share, all that each
 * hub of a regional burst holds, goes at the end of the packed bytes ({@link PackedShare}). How an alert is decided
 * is not here but in {@link AlertStages}.
 */
public final class HubState {
  /** The hub's tracking, packed; null while {@link #tracked} holds it (in storm) or before the first alert. */
  private byte[] packed;
  /** What few hubs have at a time (see {@link Rare}); null when none of it. */
  private Rare rare;
  /**
   * How many operations changed this hub: owner and backups run the same operations, so their copies agree. When a
   * split cluster heals, the side whose copy changed more is the one that decided (cluster.HubStateMerge).
   */
  private long version;

  /**
   * The parts of a hub that most hubs do not have at a given time, in one object, so that a hub without any costs one
   * reference, not four (src/bench/results/2026-12-06-memory-grouped.md).
   */
  private static final class Rare {
    /** The hub's tracking as objects, only while one of its codes storms; otherwise null. */
    HubTracking tracked;
    /** Raised, not yet acknowledged upstream, oldest first; null when none (most hubs, most of the time). */
    ArrayList<HubEvent> waiting;
    /**
     * Its shares of regional groups, open and sealed; null when none; {@link #FOLDED} when its only share is one open
     * share, kept at the end of {@link #packed} ({@link PackedShare}): the state of every hub of a burst.
     */
    GroupShares shares;
    /** What silences and inhibitions hold on this hub; null when nothing (most hubs, most of the time). */
    HubMuting muting;
  }

  /** Never changed: {@link #unfolded} makes the objects before the shares are read or changed. */
  private static final GroupShares FOLDED = new GroupShares();
  /** The rare parts of a hub whose only one is its folded share (each hub of a burst): shared, so never changed. */
  private static final Rare FOLDED_ONLY = new Rare();

  static {
    FOLDED_ONLY.shares = FOLDED;
  }

  /**
   * The answer to one operation: a verdict per alert, the events it raised (already kept as waiting), and the
   * regional questions it asked with their answers, for the operation's backup copy ({@link #replay}); and how many
   * of its alerts came from devices, or had codes, past the hub's bounds ({@link AlertPolicy#maxDevicesPerHub},
   * {@link AlertPolicy#maxCodesPerHub}).
   */
  /** Fewer consolidated alerts of a device in a storm's period never make it a storming device. */
  private static final int MIN_STORMING_DEVICE_ALERTS = 2;

  /**
   * @param stormingDevices alerts consolidated whose device's own alerts in its hub's storm period reached the code's
   *     release threshold (the register counts these devices as stormed; a device of a storming hub that sent one
   *     alert is not). Empty on a retried operation: a device missed there is an undercount, never a wrong entry.
   */
  public record Outcome(byte[] verdicts, List<HubEvent> raised, RegionalAnswers answers, int untrackedDevices,
      int untrackedCodes, Map<String, Integer> silenced, List<Alert> stormingDevices) {}

  /** Decides every alert of a batch from this hub, in order, on the hub's owner: regional questions go to {@code gate}. */
  public Outcome apply(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy, RegionalGate gate) {
    return apply(hubId, operationId, alerts, now, policy, List.of(), gate);
  }

  /** As above, with the silences in force that the operation carries ({@link Silence}). */
  public Outcome apply(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      List<Silence> silences, RegionalGate gate) {
    unfolded();
    HubTracking t = tracked() != null ? tracked() : HubTracking.unpack(packed);
    return decide(operationId, alerts, HubDecision.onOwner(hubId, now, policy, t, silences, muting(), gate));
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
    unfolded();
    HubTracking t = tracked() != null ? tracked() : HubTracking.unpack(packed);
    return decide(operationId, alerts, HubDecision.onBackup(hubId, now, policy, t, silences, muting(), owners));
  }

  private Outcome decide(long operationId, List<Alert> alerts, HubDecision hub) {
    HubTracking t = hub.tracking;
    byte[] earlier = t.verdictsOf(operationId);
    if (earlier != null) {
      fold();
      return new Outcome(earlier, List.of(), RegionalAnswers.NONE, 0, 0, Map.of(), List.of());
    }
    // Held periods over by now are raised before this operation's alerts are counted (as storms settle first).
    if (hub.muting != null) hub.muting.settle(hub.now, hub.hubId, hub.policy.maxDevicesPerSummary(), false, hub.raised);
    hub.operationId = operationId;
    byte[] verdicts = new byte[alerts.size()];
    List<Alert> storming = List.of();
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      hub.next(i, alert);
      Verdict v = AlertStages.decide(alert, hub);
      // A device storms by itself when its own alerts in the storm's period would keep the storm going alone (the
      // code's release threshold, two at least): one alert of a bystander does not. By the code's rule, not the
      // device model's own: a model given a rule that storms sooner must not be found storming for it, so under such a
      // rule the hub must also be at the code's storm rate.
      // Not while the owner cannot tell a regional burst (it warms up): a restoration's hubs all storm then.
      // The gate (the member's, locked) is asked last, only of a device that reached the count.
      if (v == Verdict.CONSOLIDATED && hub.deviceTracked && hub.storm != null
          && hub.storm.deviceReached(alert.deviceId(), Math.max(MIN_STORMING_DEVICE_ALERTS, hub.codeRule.releaseThreshold()))
          && (hub.codePolicy == hub.codeRule || hub.storm.atStormRateOf(hub.codeRule, hub.codePolicy, hub.now))
          && !hub.burstsUnknown()) {
        if (storming.isEmpty()) storming = new ArrayList<>(2);
        storming.add(alert);
      }
      if (v == Verdict.GROUPED) {
        if (shares() == null) shares(new GroupShares());
        shares().add(alert.alertCode(), hub.now);
      }
      verdicts[i] = (byte) v.ordinal();
    }
    keepWaiting(hub.raised);
    version++;
    t.remember(operationId, verdicts);
    t.lastAlertAt = Math.max(t.lastAlertAt, hub.now);
    keep(t);
    fold();
    muting(hub.muting == null || hub.muting.isEmpty() ? null : hub.muting);
    return new Outcome(verdicts, hub.raised, hub.answers(), hub.untrackedDevices, hub.untrackedCodes,
        hub.silenced == null ? Map.of() : hub.silenced, storming);
  }

  /** Raises the summaries and storm ends due at {@code now}; with {@code flushOpenPeriods}, every open period too. */
  public List<HubEvent> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods) {
    HubTracking t = tracked();
    HubMuting muting = muting();
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
      if (muting.isEmpty()) muting(null);
    }
    keepWaiting(raised);
    version++;
    if (t != null) keep(t);
    fold();
    return raised;
  }

  /** The events waiting for the broker, oldest first. */
  public List<HubEvent> waiting() {
    ArrayList<HubEvent> waiting = waitingList();
    return waiting == null ? List.of() : List.copyOf(waiting);
  }

  /** The broker acknowledged these events: forget them. Returns whether anything changed. */
  public boolean delivered(Set<String> eventIds) {
    ArrayList<HubEvent> waiting = waitingList();
    if (waiting == null) return false;
    boolean changed = waiting.removeIf(e -> eventIds.contains(e.eventId()));
    if (waiting.isEmpty()) waitingList(null);
    if (changed) version++;
    return changed;
  }

  /**
   * Seals the open share of {@code alertCode} into the group {@code groupId}. Idempotent: asked again for the same
   * group it returns the same share; a share already sealed into another group is not taken twice.
   */
  public GroupShare seal(String alertCode, String groupId, String creator) {
    if (shares() == null) return null;
    version++;
    GroupShare sealed = unfolded().seal(alertCode, groupId, creator);
    fold(); // the share of another code stays open
    return sealed;
  }

  /** The group event was acknowledged upstream: its share is delivered. */
  public boolean releaseSeal(String groupId) {
    GroupShares shares = shares();
    boolean changed = shares != null && shares != FOLDED && shares.release(groupId);
    if (changed && shares.isEmpty()) shares(null);
    if (changed) version++;
    fold();
    return changed;
  }

  /** The group was never recorded (its member died first): the share goes back to the open one, to be grouped again. */
  public boolean unseal(String groupId) {
    GroupShares shares = shares();
    boolean changed = shares != null && shares != FOLDED && shares.unseal(groupId);
    if (changed) version++;
    fold();
    return changed;
  }

  /** How many operations changed the hub (see {@link #version}); 0 for a hub written by a release without it. */
  public long version() {
    return version;
  }

  /**
   * Keeps, besides this hub's own, every event of {@code other} that is not waiting here (by event id): for the
   * merge of a split cluster whose two sides both changed the hub (cluster.HubStateMerge), so that no event raised
   * on either side is dropped unpublished. Counts as one change.
   */
  public void keepWaitingOf(HubState other) {
    if (other.waitingList() == null) return;
    Set<String> here = new java.util.HashSet<>();
    if (waitingList() != null) for (HubEvent e : waitingList()) here.add(e.eventId());
    List<HubEvent> missing = new ArrayList<>();
    for (HubEvent e : other.waitingList()) if (!here.contains(e.eventId())) missing.add(e);
    keepWaiting(missing);
    version++;
  }

  /** What the hub's owner must do for it, or null when nothing (the common case). */
  public HubAttention attention(AlertPolicy policy) {
    long settleAt = nextDueAt(policy);
    GroupShares shares = shares();
    HubMuting muting = muting();
    if (settleAt == Long.MAX_VALUE && waitingList() == null && shares == null) return null;
    Map<String, GroupShare> open = shares == null ? Map.of() : shares == FOLDED ? foldedShare() : shares.open();
    Map<String, String> seals = shares == null || shares == FOLDED ? Map.of() : shares.sealedInto();
    return new HubAttention(settleAt, waitingList() != null, open, seals, System.nanoTime(), storms(), muting != null && muting.holds());
  }

  /** The codes in storm, each with the alerts consolidated in its open storm so far; empty when none storms. */
  private Map<String, Long> storms() {
    HubTracking tracked = tracked();
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
    return tracked() != null;
  }

  /** When the hub next needs settling ({@link Long#MAX_VALUE}: never, as when no code storms). */
  public long nextDueAt(AlertPolicy policy) {
    long due = muting() == null ? Long.MAX_VALUE : muting().nextDueAt();
    HubTracking tracked = tracked();
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
    return rare == null && lastAlertAt() < before;
  }

  /** When the hub's last alert was decided (the operation's time); {@link Long#MIN_VALUE} before any. */
  public long lastAlertAt() {
    if (tracked() != null) return tracked().lastAlertAt;
    return packed == null ? Long.MIN_VALUE : HubTracking.lastAlertAt(packed);
  }

  /** After an operation: packed again unless a code storms (an open storm stays as objects until it ends). */
  private void keep(HubTracking t) {
    if (t.storming()) {
      tracked(t);
      packed = null;
    } else {
      packed = t.pack();
      tracked(null);
    }
  }

  /** The shares as objects: the folded share taken out of the packed bytes first. */
  private GroupShares unfolded() {
    if (shares() == FOLDED) {
      GroupShare open = PackedShare.share(packed);
      packed = PackedShare.tracking(packed);
      shares(GroupShares.of(Map.of(open.alertCode(), open), List.of()));
    }
    return shares();
  }

  /** After a change: a lone open share of a packed hub goes into its bytes. */
  private void fold() {
    GroupShares shares = shares();
    if (shares == null || shares == FOLDED || packed == null) return;
    GroupShare lone = shares.loneOpen();
    if (lone == null || !PackedShare.fits(lone)) return;
    packed = PackedShare.fold(packed, lone);
    shares(FOLDED);
  }

  private Map<String, GroupShare> foldedShare() {
    GroupShare open = PackedShare.share(packed);
    return Map.of(open.alertCode(), open);
  }

  // The rare parts: read through these, and changed through these so that a hub with none of them holds none.

  private HubTracking tracked() {
    return rare == null ? null : rare.tracked;
  }

  private ArrayList<HubEvent> waitingList() {
    return rare == null ? null : rare.waiting;
  }

  private GroupShares shares() {
    return rare == null ? null : rare.shares;
  }

  private HubMuting muting() {
    return rare == null ? null : rare.muting;
  }

  private void tracked(HubTracking t) {
    if (t != tracked()) writable().tracked = t;
    tidy();
  }

  private void waitingList(ArrayList<HubEvent> w) {
    if (w != waitingList()) writable().waiting = w;
    tidy();
  }

  private void shares(GroupShares s) {
    if (s != shares()) writable().shares = s;
    tidy();
  }

  private void muting(HubMuting m) {
    if (m != muting()) writable().muting = m;
    tidy();
  }

  /** The rare parts to change: the shared {@link #FOLDED_ONLY} copied first. */
  private Rare writable() {
    if (rare == null) {
      rare = new Rare();
    } else if (rare == FOLDED_ONLY) {
      rare = new Rare();
      rare.shares = FOLDED;
    }
    return rare;
  }

  /** None left: no object; only a folded share: the shared one. */
  private void tidy() {
    Rare r = rare;
    if (r == null || r == FOLDED_ONLY || r.tracked != null || r.waiting != null || r.muting != null) return;
    if (r.shares == null) rare = null;
    else if (r.shares == FOLDED) rare = FOLDED_ONLY;
  }

  private void keepWaiting(List<HubEvent> raised) {
    if (raised.isEmpty()) return;
    if (waitingList() == null) waitingList(new ArrayList<>(raised.size()));
    waitingList().addAll(raised);
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
    HubTracking t = tracked();
    ArrayList<HubEvent> waiting = waitingList();
    GroupShares shares = shares();
    HubMuting muting = muting();
    if (shares == FOLDED) { // packed, so nothing storms
      return new Parts(PackedShare.tracking(packed), List.of(), waiting == null ? List.of() : List.copyOf(waiting),
          foldedShare(), List.of(), version, muting == null ? List.of() : muting.heldPeriods(),
          muting == null ? List.of() : muting.sources());
    }
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
      hub.tracked(t);
    }
    if (!parts.waiting().isEmpty()) hub.waitingList(new ArrayList<>(parts.waiting()));
    hub.shares(GroupShares.of(parts.openShares(), parts.sealed()));
    hub.version = parts.version();
    hub.muting(HubMuting.of(parts.inhibitions(), parts.held()));
    hub.fold();
    return hub;
  }

  // The journal's form of a hub that holds its packed bytes alone (cluster.HubJournal).

  /**
   * A hub that is its packed bytes alone: whether they end with its folded open share ({@link PackedShare}), and its
   * version. The tracking's layout is the serialized form's ({@code HubStateSerializers.LAYOUT}).
   */
  public record Packed(byte[] bytes, boolean folded, long version) {}

  /**
   * The hub as its packed bytes, when that is all it holds: no code storms, nothing waits for the broker, nothing
   * muted, no share but a lone open one folded into the bytes (each hub of a regional burst); else null. Most hubs
   * between two alerts: the journal writes them so, without the Compact form's objects and fields.
   */
  public Packed packedAlone() {
    Rare r = rare;
    if (r != null && r != FOLDED_ONLY
        && (r.tracked != null || r.waiting != null || r.muting != null || (r.shares != null && r.shares != FOLDED))) {
      return null;
    }
    return new Packed(packed, r != null && r.shares == FOLDED, version);
  }

  /** The hub {@link #packedAlone} gave. */
  public static HubState of(Packed alone) {
    HubState hub = new HubState();
    hub.packed = alone.bytes();
    hub.version = alone.version();
    if (alone.folded()) hub.rare = FOLDED_ONLY;
    return hub;
  }
}
