package org.csp.edge.decision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;

/**
 * A hub's muting state: the inhibitions its source alerts started, and its open held periods (alerts held by a
 * silence or an inhibition, counted per device until the period ends, then raised as one summary per period with
 * its reason). Exists only while something is held or inhibited (null in {@link HubState} otherwise, so it costs the
 * other hubs nothing). Bounded: one source per rule (hub scope) or per rule and tracked device (device scope), and
 * at most {@link AlertPolicy#maxCodesPerHub} held periods: past it an alert is not muted but decided as usual.
 */
final class HubMuting {
  private final List<InhibitionSource> sources = new ArrayList<>(1);
  private final List<Held> held = new ArrayList<>(1);

  /** One open held period: one code, one reason, one silence or rule. */
  private static final class Held {
    final String alertCode;
    final HoldReason reason;
    final String heldBy;
    final String sourceAlertCode;
    final long periodStart;
    /** Moved later when a later source extends the inhibition that holds it (one summary, at the end). */
    long periodEnd;
    int count;
    String firstRaisedAt;
    long firstRaisedMillis;
    String lastRaisedAt;
    long lastRaisedMillis;
    Map<String, StormEvent.DeviceCount> devices = new HashMap<>(4);
    int untracked;

    Held(String alertCode, HoldReason reason, String heldBy, String sourceAlertCode, long periodStart, long periodEnd) {
      this.alertCode = alertCode;
      this.reason = reason;
      this.heldBy = heldBy;
      this.sourceAlertCode = sourceAlertCode;
      this.periodStart = periodStart;
      this.periodEnd = periodEnd;
    }

    boolean isFor(String code, HoldReason why, String by, String source) {
      return alertCode.equals(code) && reason == why && heldBy.equals(by)
          && java.util.Objects.equals(sourceAlertCode, source);
    }
  }

  boolean isEmpty() {
    return sources.isEmpty() && held.isEmpty();
  }

  /** Notes {@code alert} as the source of every rule that lists its code; a later source extends the hold. */
  void noteSource(Alert alert, long now, List<Inhibition> rules, boolean deviceTracked) {
    for (Inhibition rule : rules) {
      if (!rule.sourceCodes().contains(alert.alertCode())) continue;
      // A device past the hub's bound keeps no state of its own: no device-scoped inhibition either.
      if (rule.scope() == Inhibition.Scope.DEVICE && !deviceTracked) continue;
      String device = rule.scope() == Inhibition.Scope.DEVICE ? alert.deviceId() : null;
      long until = now + rule.duration().toMillis();
      sources.removeIf(s -> s.rule().equals(rule.name()) && java.util.Objects.equals(s.deviceId(), device));
      sources.add(new InhibitionSource(rule.name(), device, alert.alertCode(), until));
      // What the rule holds already is held on to the new end: one summary when the inhibition ends, not one at the
      // end it had before and another at the new one.
      for (Held h : held) {
        if (h.reason == HoldReason.INHIBITED && h.heldBy.equals(rule.name()) && h.periodEnd < until) h.periodEnd = until;
      }
    }
  }

  /** The inhibition in force on {@code alert} at {@code now}, or null: the first rule, in the policy's order. */
  InhibitionSource inhibiting(Alert alert, long now, List<Inhibition> rules) {
    for (Inhibition rule : rules) {
      if (!rule.targetCodes().contains(alert.alertCode())) continue;
      for (InhibitionSource s : sources) {
        if (!s.rule().equals(rule.name()) || s.until() <= now) continue;
        if (s.deviceId() == null || s.deviceId().equals(alert.deviceId())) return s;
      }
    }
    return null;
  }

  /**
   * Counts {@code alert} into its held period, opened now to end at {@code periodEnd} if there is none. False when
   * the hub has its bound of held periods.
   */
  boolean hold(Alert alert, boolean deviceTracked, HoldReason reason, String heldBy, String sourceAlertCode,
      long now, long periodEnd, int maxPeriods) {
    Held h = null;
    for (Held open : held) if (open.isFor(alert.alertCode(), reason, heldBy, sourceAlertCode)) h = open;
    if (h == null) {
      if (held.size() >= maxPeriods) return false;
      h = new Held(alert.alertCode(), reason, heldBy, sourceAlertCode, now, periodEnd);
      held.add(h);
    }
    count(h, alert, deviceTracked);
    return true;
  }

  private static void count(Held h, Alert alert, boolean deviceTracked) {
    if (h.count == 0 || alert.raisedAtMillis() < h.firstRaisedMillis) {
      h.firstRaisedAt = alert.raisedAt();
      h.firstRaisedMillis = alert.raisedAtMillis();
    }
    if (h.count == 0 || alert.raisedAtMillis() > h.lastRaisedMillis) {
      h.lastRaisedAt = alert.raisedAt();
      h.lastRaisedMillis = alert.raisedAtMillis();
    }
    if (deviceTracked) {
      h.devices.merge(alert.deviceId(), new StormEvent.DeviceCount(1, alert.deviceType(), alert.dmc()),
          (a, b) -> new StormEvent.DeviceCount(a.count() + 1,
              b.deviceType() != null ? b.deviceType() : a.deviceType(), b.dmc() != null ? b.dmc() : a.dmc()));
    } else {
      h.untracked++;
    }
    h.count++;
  }

  /**
   * Raises a summary for every held period over at {@code now} (all of them with {@code flush}: shutdown) and
   * forgets the inhibitions that ended. The summary is built as a storm's is: bounded devices, folded rest.
   */
  void settle(long now, String hubId, int maxDevices, boolean flush, List<HubEvent> out) {
    sources.removeIf(s -> s.until() <= now);
    for (var it = held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (!flush && now < h.periodEnd) continue;
      long end = Math.min(now, h.periodEnd);
      SummaryDevices folded = SummaryDevices.fold(h.devices, maxDevices);
      out.add(new StormEvent.Summary(hubId, h.alertCode, h.periodStart, 1, h.periodStart, end, h.firstRaisedAt,
          h.lastRaisedAt, folded.listed(), folded.otherDevices(), folded.otherCount() + h.untracked, h.untracked,
          h.reason, h.count, true, h.heldBy, h.sourceAlertCode));
      it.remove();
    }
  }

  /** When something next falls due: a period's end or an inhibition's; {@link Long#MAX_VALUE} for nothing. */
  long nextDueAt() {
    long due = Long.MAX_VALUE;
    for (Held h : held) due = Math.min(due, h.periodEnd);
    for (InhibitionSource s : sources) due = Math.min(due, s.until());
    return due;
  }

  boolean holds() {
    return !held.isEmpty();
  }

  // The cluster's serialized form (org.csp.edge.cluster.state).

  List<InhibitionSource> sources() {
    return List.copyOf(sources);
  }

  List<HeldPeriodParts> heldPeriods() {
    List<HeldPeriodParts> parts = new ArrayList<>(held.size());
    for (Held h : held) {
      parts.add(new HeldPeriodParts(h.alertCode, h.reason, h.heldBy, h.sourceAlertCode, h.periodStart, h.periodEnd,
          h.count, h.firstRaisedAt, h.firstRaisedMillis, h.lastRaisedAt, h.lastRaisedMillis, Map.copyOf(h.devices),
          h.untracked));
    }
    return parts;
  }

  static HubMuting of(List<InhibitionSource> sources, List<HeldPeriodParts> held) {
    if (sources.isEmpty() && held.isEmpty()) return null;
    HubMuting m = new HubMuting();
    m.sources.addAll(sources);
    for (HeldPeriodParts p : held) {
      Held h = new Held(p.alertCode(), p.reason(), p.heldBy(), p.sourceAlertCode(), p.periodStart(), p.periodEnd());
      h.count = p.count();
      h.firstRaisedAt = p.firstRaisedAt();
      h.firstRaisedMillis = p.firstRaisedMillis();
      h.lastRaisedAt = p.lastRaisedAt();
      h.lastRaisedMillis = p.lastRaisedMillis();
      h.devices = new HashMap<>(p.devices());
      h.untracked = p.untracked();
      m.held.add(h);
    }
    return m;
  }
}
