package org.csp.edge.decision;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * array ({@link Tracked#pack}), unpacked for the operation that runs on it and packed again after; an open storm
 * keeps the hub unpacked until it ends. Everything transient (events waiting for the broker, group shares) is an
 * object of its own, null when there is none.
 */
public final class HubState implements Serializable {
  /** Enough for the retries Hazelcast makes when a member leaves mid-operation (seconds, a few operations). */
  private static final int REMEMBERED_OPERATIONS = 8;

  /** The hub's tracking, packed; null while {@link #tracked} holds it (in storm) or before the first alert. */
  private byte[] packed;
  /** The hub's tracking as objects, only while one of its codes storms; otherwise null. */
  private Tracked tracked;
  /** Raised, not yet acknowledged upstream, oldest first; null when none (most hubs, most of the time). */
  private ArrayList<HubEvent> waiting;
  /** Code to the open share of a regional group; null when none. */
  private HashMap<String, GroupShare> openShares;
  /** Group id to the share sealed into that group event, until the broker acknowledged it; null when none. */
  private HashMap<String, GroupShare.Sealed> sealed;

  /** The answer to one operation: a verdict per alert, and the events it raised (already kept as waiting). */
  public record Outcome(byte[] verdicts, List<HubEvent> raised) {}

  /** Decides every alert of a batch from this hub, in order. */
  public Outcome apply(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy, RegionalGate gate) {
    Tracked t = tracked != null ? tracked : Tracked.unpack(packed);
    byte[] earlier = t.verdictsOf(operationId);
    if (earlier != null) return new Outcome(earlier, List.of());
    byte[] verdicts = new byte[alerts.size()];
    List<HubEvent> raised = new ArrayList<>(1);
    List<StormEvent> stormEvents = new ArrayList<>(0);
    long retention = policy.duplicateRetention().toMillis();
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      DeviceHeaders seen = t.headersOf(alert.deviceId(), policy);
      Verdict v;
      if (seen.seenBefore(alert.originatorCounter(), now, retention)) {
        v = Verdict.DUPLICATE;
      } else {
        CodePolicy codePolicy = policy.forCode(alert.alertCode());
        if (codePolicy.mode() == CodeMode.FORWARD) {
          v = Verdict.FORWARD;
          raised.add(new ForwardedAlert(alert, 0, now));
        } else {
          CodeStorm storm = t.stormOf(alert.alertCode());
          String code = alert.alertCode();
          v = storm.apply(alert, now, hubId, codePolicy, () -> gate.bursting(code, now, codePolicy), stormEvents);
          raised.addAll(stormEvents);
          stormEvents.clear();
          if (v == Verdict.GROUPED) {
            addShare(code, now);
          } else if (v == Verdict.FORWARD && gate.group(alert.alertCode(), hubId, now, codePolicy)) {
            v = Verdict.GROUPED;
            addShare(alert.alertCode(), now);
          } else if (v == Verdict.FORWARD) {
            raised.add(new ForwardedAlert(alert, storm.takeSinceLastForwarded(), now));
          }
        }
      }
      verdicts[i] = (byte) v.ordinal();
    }
    keepWaiting(raised);
    t.remember(operationId, verdicts);
    t.lastAlertAt = Math.max(t.lastAlertAt, now);
    keep(t);
    return new Outcome(verdicts, raised);
  }

  /** Raises the summaries and storm ends due at {@code now}; with {@code flushOpenPeriods}, every open period too. */
  public List<HubEvent> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods) {
    Tracked t = tracked;
    if (t == null) return new ArrayList<>(0); // packed: no storm, so nothing is ever due
    List<StormEvent> events = new ArrayList<>(0);
    for (CodeStorm storm : t.codes) storm.settle(now, hubId, policy.forCode(storm.alertCode()), flushOpenPeriods, events);
    List<HubEvent> raised = new ArrayList<>(events);
    keepWaiting(raised);
    keep(t);
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
    return changed;
  }

  /**
   * Seals the open share of {@code alertCode} into the group {@code groupId}. Idempotent: asked again for the same
   * group it returns the same share; a share already sealed into another group is not taken twice.
   */
  public GroupShare seal(String alertCode, String groupId, String creator) {
    if (sealed != null && sealed.containsKey(groupId)) return sealed.get(groupId).share();
    GroupShare share = openShares == null ? null : openShares.remove(alertCode);
    if (share == null) return null;
    if (openShares.isEmpty()) openShares = null;
    if (sealed == null) sealed = new HashMap<>(2);
    sealed.put(groupId, new GroupShare.Sealed(groupId, creator, share));
    return share;
  }

  /** The group event was acknowledged upstream: its share is delivered. */
  public boolean releaseSeal(String groupId) {
    if (sealed == null || sealed.remove(groupId) == null) return false;
    if (sealed.isEmpty()) sealed = null;
    return true;
  }

  /** The group was never recorded (its member died first): the share goes back to the open one, to be grouped again. */
  public boolean unseal(String groupId) {
    GroupShare.Sealed s = sealed == null ? null : sealed.remove(groupId);
    if (s == null) return false;
    if (sealed.isEmpty()) sealed = null;
    if (openShares == null) openShares = new HashMap<>(2);
    openShares.merge(s.share().alertCode(), s.share(), GroupShare::plus);
    return true;
  }

  /** What the hub's owner must do for it, or null when nothing (the common case). */
  public HubAttention attention(AlertPolicy policy) {
    long settleAt = nextDueAt(policy);
    if (settleAt == Long.MAX_VALUE && waiting == null && openShares == null && sealed == null) return null;
    Map<String, GroupShare> open = openShares == null ? Map.of() : Map.copyOf(openShares);
    Map<String, String> seals = Map.of();
    if (sealed != null) {
      seals = new HashMap<>(sealed.size());
      for (GroupShare.Sealed s : sealed.values()) seals.put(s.groupId(), s.creator());
    }
    return new HubAttention(settleAt, waiting != null, open, seals, System.nanoTime());
  }

  /** When the hub next needs settling ({@link Long#MAX_VALUE}: never, as when no code storms). */
  public long nextDueAt(AlertPolicy policy) {
    long due = Long.MAX_VALUE;
    if (tracked == null) return due;
    for (CodeStorm storm : tracked.codes) {
      if (storm.inStorm()) due = Math.min(due, storm.nextDueAt(policy.forCode(storm.alertCode())));
    }
    return due;
  }

  /**
   * Whether the hub may be forgotten: nothing held (no open storm, no event waiting for the broker, no group share
   * open or sealed) and no alert since {@code before}. Idle expiry ({@link ForgetIdleHubsOperation}) removes only such hubs,
   * so that it never drops an alert the node has accounted for.
   */
  public boolean idleSince(long before) {
    return tracked == null && waiting == null && openShares == null && sealed == null && lastAlertAt() < before;
  }

  /** When the hub's last alert was decided (the operation's time); {@link Long#MIN_VALUE} before any. */
  public long lastAlertAt() {
    if (tracked != null) return tracked.lastAlertAt;
    return packed == null ? Long.MIN_VALUE : Tracked.lastAlertAt(packed);
  }

  /** After an operation: packed again unless a code storms (an open storm stays as objects until it ends). */
  private void keep(Tracked t) {
    if (t.storming()) {
      tracked = t;
      packed = null;
    } else {
      packed = t.pack();
      tracked = null;
    }
  }

  private void addShare(String alertCode, long now) {
    if (openShares == null) openShares = new HashMap<>(2);
    openShares.merge(alertCode, GroupShare.first(alertCode, now), (a, b) -> a.plus(now));
  }

  private void keepWaiting(List<HubEvent> raised) {
    if (raised.isEmpty()) return;
    if (waiting == null) waiting = new ArrayList<>(raised.size());
    waiting.addAll(raised);
  }

  /**
   * What the hub's decisions remember: per code its rate (and open storm), per device its recent header counters,
   * the last operations' verdicts, and when its last alert came. Objects while an operation runs on the hub (and
   * while it storms); in between, {@link #pack packed}.
   */
  static final class Tracked implements Serializable {
    private static final CodeStorm[] NO_CODES = new CodeStorm[0];
    private static final DeviceHeaders[] NO_DEVICES = new DeviceHeaders[0];

    /** In the order first seen. */
    private CodeStorm[] codes = NO_CODES;
    /** In the order first seen. */
    private DeviceHeaders[] headers = NO_DEVICES;
    /**
     * The last operations, so an operation run twice (at-least-once) answers the same: pairs of (operation id, its
     * verdicts packed by {@link PackedVerdicts}); grows to {@link #REMEMBERED_OPERATIONS} pairs as operations come.
     */
    private long[] recentOperations;
    /** The verdicts of remembered operations too large to pack, by slot; null until one was. */
    private byte[][] unpackedVerdicts;
    private int recentNext;
    long lastAlertAt = Long.MIN_VALUE;

    boolean storming() {
      for (CodeStorm c : codes) if (c.inStorm()) return true;
      return false;
    }

    CodeStorm stormOf(String alertCode) {
      char key = AlertCodes.key(alertCode);
      for (CodeStorm storm : codes) if (storm.isFor(key)) return storm;
      CodeStorm storm = new CodeStorm(alertCode);
      codes = append(codes, storm);
      return storm;
    }

    DeviceHeaders headersOf(String deviceId, AlertPolicy policy) {
      long device = DeviceHeaders.eui64(deviceId);
      for (DeviceHeaders h : headers) if (h.isFor(device)) return h;
      DeviceHeaders h = new DeviceHeaders(device, policy.duplicateMemoryPerDevice());
      headers = append(headers, h);
      return h;
    }

    /** Grows by one: a hub's codes and devices are few and added once each, so exact sizes cost least. */
    private static <T> T[] append(T[] array, T item) {
      T[] longer = Arrays.copyOf(array, array.length + 1);
      longer[longer.length - 1] = item;
      return longer;
    }

    byte[] verdictsOf(long operationId) {
      if (recentOperations == null) return null;
      for (int slot = 0; slot < recentOperations.length / 2; slot++) {
        if (recentOperations[2 * slot] != operationId) continue;
        long packed = recentOperations[2 * slot + 1];
        return packed == PackedVerdicts.UNPACKED ? unpackedVerdicts[slot] : PackedVerdicts.unpack(packed);
      }
      return null;
    }

    void remember(long operationId, byte[] verdicts) {
      if (recentOperations == null) {
        recentOperations = new long[2];
      } else if (recentOperations.length / 2 < REMEMBERED_OPERATIONS && recentNext == 0) {
        // Still growing (it wraps only when full): the remembered keep their slots, the new one takes the next.
        recentNext = recentOperations.length / 2;
        recentOperations = Arrays.copyOf(recentOperations, 2 * Math.min(REMEMBERED_OPERATIONS, 2 * recentNext));
      }
      int slot = recentNext;
      long packed = PackedVerdicts.pack(verdicts);
      recentOperations[2 * slot] = operationId;
      recentOperations[2 * slot + 1] = packed;
      if (packed == PackedVerdicts.UNPACKED || unpackedVerdicts != null) {
        if (unpackedVerdicts == null) unpackedVerdicts = new byte[REMEMBERED_OPERATIONS][];
        unpackedVerdicts[slot] = packed == PackedVerdicts.UNPACKED ? verdicts : null;
      }
      recentNext = (slot + 1) % (recentOperations.length / 2);
    }

    /**
     * Everything above in one exact-size byte array: the last alert's time first, then the codes, the devices
     * (times relative to the last alert) and the remembered operations (verdicts at two bits each). A hub with one
     * code, one device and one operation packs into about 45 bytes (a 64-byte array).
     */
    byte[] pack() {
      Packing.Writer out = Packing.Writer.scratch();
      long base = lastAlertAt;
      out.zigzag(base);
      out.varInt(codes.length);
      for (CodeStorm c : codes) c.pack(out, base);
      out.varInt(headers.length);
      for (DeviceHeaders h : headers) h.pack(out, base);
      int slots = recentOperations == null ? 0 : recentOperations.length / 2;
      out.varInt(slots);
      if (slots > 0) out.varInt(recentNext);
      for (int slot = 0; slot < slots; slot++) {
        out.fixed64(recentOperations[2 * slot]);
        long verdicts = recentOperations[2 * slot + 1];
        if (verdicts == PackedVerdicts.UNPACKED) {
          byte[] bytes = unpackedVerdicts[slot];
          out.byte1(0xFF);
          out.varInt(bytes.length);
          out.bytes(bytes);
        } else {
          int n = (int) (verdicts >>> 56);
          out.byte1(n);
          for (int b = 0; b < (2 * n + 7) / 8; b++) out.byte1((int) (verdicts >>> (8 * b)));
        }
      }
      return out.toArray();
    }

    static Tracked unpack(byte[] packed) {
      Tracked t = new Tracked();
      if (packed == null) return t;
      Packing.Reader in = new Packing.Reader(packed);
      long base = in.zigzag();
      t.lastAlertAt = base;
      int n = in.varInt();
      if (n > 0) {
        t.codes = new CodeStorm[n];
        for (int i = 0; i < n; i++) t.codes[i] = CodeStorm.unpack(in, base);
      }
      n = in.varInt();
      if (n > 0) {
        t.headers = new DeviceHeaders[n];
        for (int i = 0; i < n; i++) t.headers[i] = DeviceHeaders.unpack(in, base);
      }
      int slots = in.varInt();
      if (slots > 0) {
        t.recentNext = in.varInt();
        t.recentOperations = new long[2 * slots];
        for (int slot = 0; slot < slots; slot++) {
          t.recentOperations[2 * slot] = in.fixed64();
          int count = in.byte1();
          if (count == 0xFF) {
            if (t.unpackedVerdicts == null) t.unpackedVerdicts = new byte[REMEMBERED_OPERATIONS][];
            t.unpackedVerdicts[slot] = in.bytes(in.varInt());
            t.recentOperations[2 * slot + 1] = PackedVerdicts.UNPACKED;
          } else {
            long verdicts = (long) count << 56;
            for (int b = 0; b < (2 * count + 7) / 8; b++) verdicts |= (long) in.byte1() << (8 * b);
            t.recentOperations[2 * slot + 1] = verdicts;
          }
        }
      }
      if (!in.done()) throw new IllegalStateException("hub state: " + packed.length + " bytes packed, fewer read");
      return t;
    }

    static long lastAlertAt(byte[] packed) {
      return new Packing.Reader(packed).zigzag();
    }
  }
}
