package org.csp.edge.consolidation;

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
 * 256 bytes per hub and code; src/docs/performance.md, "Memory"): a hub has a handful of codes and devices, so
 * they are short arrays searched in order, not hash maps; everything optional is null until needed.
 */
public final class HubState implements Serializable {
  /** Enough for the retries Hazelcast makes when a member leaves mid-operation (seconds, a few operations). */
  private static final int REMEMBERED_OPERATIONS = 8;

  /** In the order first seen; null until the hub sends a code that is not always forwarded. */
  private CodeStorm[] codes;
  /** In the order first seen; null until the first alert. */
  private DeviceHeaders[] headers;
  /** Raised, not yet acknowledged upstream, oldest first; null when none (most hubs, most of the time). */
  private ArrayList<HubEvent> waiting;
  /** Code to the open share of a regional group; null when none. */
  private HashMap<String, GroupShare> openShares;
  /** Group id to the share sealed into that group event, until the broker acknowledged it; null when none. */
  private HashMap<String, GroupShare.Sealed> sealed;
  /**
   * The last operations, so an operation run twice (at-least-once) answers the same: pairs of (operation id, its
   * verdicts packed by {@link PackedVerdicts}); grows to {@link #REMEMBERED_OPERATIONS} pairs as operations come.
   */
  private long[] recentOperations;
  /** The verdicts of remembered operations too large to pack, by slot; null until one was. */
  private byte[][] unpackedVerdicts;
  private int recentNext;

  /** The answer to one operation: a verdict per alert, and the events it raised (already kept as waiting). */
  public record Outcome(byte[] verdicts, List<HubEvent> raised) {}

  /** Decides every alert of a batch from this hub, in order. */
  public Outcome apply(String hubId, long operationId, List<Alert> alerts, long now, AlertPolicy policy, RegionalGate gate) {
    byte[] earlier = verdictsOf(operationId);
    if (earlier != null) return new Outcome(earlier, List.of());
    byte[] verdicts = new byte[alerts.size()];
    List<HubEvent> raised = new ArrayList<>(1);
    List<StormEvent> stormEvents = new ArrayList<>(0);
    long retention = policy.duplicateRetention().toMillis();
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      DeviceHeaders seen = headersOf(alert.deviceId(), policy);
      Verdict v;
      if (seen.seenBefore(alert.originatorCounter(), now, retention)) {
        v = Verdict.DUPLICATE;
      } else {
        CodePolicy codePolicy = policy.forCode(alert.alertCode());
        if (codePolicy.mode() == CodeMode.FORWARD) {
          v = Verdict.FORWARD;
          raised.add(new ForwardedAlert(alert, 0, now));
        } else {
          CodeStorm storm = stormOf(alert.alertCode());
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
    remember(operationId, verdicts);
    return new Outcome(verdicts, raised);
  }

  /** Raises the summaries and storm ends due at {@code now}; with {@code flushOpenPeriods}, every open period too. */
  public List<HubEvent> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods) {
    List<StormEvent> events = new ArrayList<>(0);
    if (codes != null) {
      for (CodeStorm storm : codes) storm.settle(now, hubId, policy.forCode(storm.alertCode()), flushOpenPeriods, events);
    }
    List<HubEvent> raised = new ArrayList<>(events);
    keepWaiting(raised);
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

  long nextDueAt(AlertPolicy policy) {
    long due = Long.MAX_VALUE;
    if (codes == null) return due;
    for (CodeStorm storm : codes) {
      if (storm.inStorm()) due = Math.min(due, storm.nextDueAt(policy.forCode(storm.alertCode())));
    }
    return due;
  }

  private CodeStorm stormOf(String alertCode) {
    char key = AlertCodes.key(alertCode);
    if (codes != null) {
      for (CodeStorm storm : codes) if (storm.isFor(key)) return storm;
    }
    CodeStorm storm = new CodeStorm(alertCode);
    codes = append(codes, storm, CodeStorm[]::new);
    return storm;
  }

  private DeviceHeaders headersOf(String deviceId, AlertPolicy policy) {
    long device = DeviceHeaders.eui64(deviceId);
    if (headers != null) {
      for (DeviceHeaders h : headers) if (h.isFor(device)) return h;
    }
    DeviceHeaders h = new DeviceHeaders(device, policy.duplicateMemoryPerDevice());
    headers = append(headers, h, DeviceHeaders[]::new);
    return h;
  }

  /** Grows by one: a hub's codes and devices are few and added once each, so exact sizes cost least. */
  private static <T> T[] append(T[] array, T item, java.util.function.IntFunction<T[]> newArray) {
    T[] longer = array == null ? newArray.apply(1) : Arrays.copyOf(array, array.length + 1);
    longer[longer.length - 1] = item;
    return longer;
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

  private byte[] verdictsOf(long operationId) {
    if (recentOperations == null) return null;
    for (int slot = 0; slot < recentOperations.length / 2; slot++) {
      if (recentOperations[2 * slot] != operationId) continue;
      long packed = recentOperations[2 * slot + 1];
      return packed == PackedVerdicts.UNPACKED ? unpackedVerdicts[slot] : PackedVerdicts.unpack(packed);
    }
    return null;
  }

  private void remember(long operationId, byte[] verdicts) {
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
}
