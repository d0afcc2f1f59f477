package org.csp.edge.decision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.csp.edge.alert.Alert;

/**
 * One hub's state for one alert code: its rate, and while it storms, the open summary period. Every transition
 * that is due at a given time is settled before an alert is applied, so the result does not depend on when the
 * sweeper happens to run.
 *
 * <p>When it storms and when the storm ends is the rule it shares with regional bursts ({@link StormWindow}).
 * There is one per tracked hub and code, so it is kept small (src/bench/results/2026-11-23-memory.md): it is its own
 * storm window, holds its code as a char, and what only a storm needs lives in an {@link OpenStorm} that exists only
 * while the hub storms on the code.
 */
final class CodeStorm extends StormWindow {
  private final char code;
  /** Alerts consolidated since the last one forwarded: carried by the next forwarded alert. */
  private long sinceLastForwarded;
  /** Null when not in storm (most hubs and codes). */
  private OpenStorm storm;

  /** A storm's counts; every field is set when the storm starts. */
  private static final class OpenStorm {
    private long startedAt;
    private long total;
    private int summariesSent;

    private long periodStart;
    private int periodCount;
    private String firstRaisedAt;
    private long firstRaisedMillis;
    private String lastRaisedAt;
    private long lastRaisedMillis;
    /** The period's tracked devices: at most the hub's {@code maxDevicesPerHub}. */
    private Map<String, StormEvent.DeviceCount> devices;
    /** The period's alerts from devices the hub does not track. */
    private int untracked;

    OpenStorm(long now) {
      startedAt = now;
      periodStart = now;
    }
  }

  CodeStorm(String alertCode) {
    this(AlertCodes.key(alertCode));
  }

  private CodeStorm(char code) {
    this.code = code;
  }

  /** Packs a code that is not in storm (an open storm stays an object): code, rate window, count since forwarded. */
  void pack(Packing.Writer out, long base) {
    if (storm != null) throw new IllegalStateException("an open storm is not packed");
    out.fixed16(code);
    packWindow(out, base);
    out.varLong(sinceLastForwarded);
  }

  static CodeStorm unpack(Packing.Reader in, long base) {
    CodeStorm s = new CodeStorm(in.fixed16());
    s.unpackWindow(in, base);
    s.sinceLastForwarded = in.varLong();
    return s;
  }

  boolean isFor(char alertCode) {
    return code == alertCode;
  }

  String alertCode() {
    return AlertCodes.name(code);
  }

  /**
   * Decides one alert; storm transitions are appended to {@code out}. Returns FORWARD, CONSOLIDATED, or GROUPED: a
   * hub that reaches its storm threshold while {@code regionBursting} says the region bursts on the code is part of
   * that burst, and its alert goes into the region's group instead of opening a storm of the hub's own (one
   * regional event instead of a storm-start and summaries per hub; asked again at each alert until the burst ends).
   * {@code policy} (the alert's rule) says when the storm starts; {@code timing} (the code's) when it is summarised
   * and ends.
   */
  Verdict apply(Alert alert, long now, String hubId, CodePolicy policy, CodePolicy timing, int maxDevicesPerSummary,
      boolean deviceTracked, BooleanSupplier regionBursting, List<StormEvent> out) {
    // Settled by the code's rule, as the sweeper settles it: the result must not depend on who settles first.
    settle(now, hubId, timing, maxDevicesPerSummary, false, out);
    double estimate = record(now, policy.stormWindow().toMillis());
    if (starts(estimate, policy.stormThreshold())) {
      if (regionBursting.getAsBoolean()) return Verdict.GROUPED;
      startStorm(now);
      storm = new OpenStorm(now);
      out.add(new StormEvent.Started(hubId, alertCode(), now, round(estimate), policy.stormThreshold(),
          policy.stormWindow().toMillis()));
    }
    if (storm == null) return Verdict.FORWARD;
    count(alert, deviceTracked);
    countInStorm();
    return Verdict.CONSOLIDATED;
  }

  /**
   * Whether {@code deviceId}'s own alerts consolidated in the open period have reached {@code threshold}: the device
   * storms by itself, not only its hub (another device of the hub may be the one repeating).
   */
  boolean deviceReached(String deviceId, int threshold) {
    OpenStorm s = storm;
    if (s == null || s.devices == null) return false;
    StormEvent.DeviceCount c = s.devices.get(deviceId);
    return c != null && c.count() >= threshold;
  }

  /**
   * Whether the hub sends the code at {@code rule}'s storm rate now, measured over the window of {@code measured} (the
   * rule this storm was judged by, whose window {@link #apply} keeps) and scaled to {@code rule}'s window.
   */
  boolean atStormRateOf(CodePolicy rule, CodePolicy measured, long now) {
    long window = measured.stormWindow().toMillis();
    return estimate(now, window) * rule.stormWindow().toMillis() / window >= rule.stormThreshold();
  }

  /** Takes the count of consolidated alerts that the next forwarded alert reports, and starts counting again. */
  long takeSinceLastForwarded() {
    long n = sinceLastForwarded;
    sinceLastForwarded = 0;
    return n;
  }

  /**
   * Emits what is due at {@code now}: a summary when the period is over, a final summary and storm end when a
   * quiet window saw too few alerts. With {@code flushOpenPeriod} the open period is summarised now (shutdown).
   */
  void settle(long now, String hubId, CodePolicy policy, int maxDevices, boolean flushOpenPeriod, List<StormEvent> out) {
    if (storm == null) return;
    long quiet = policy.quietPeriod().toMillis();
    while (quietWindowOver(now, quiet)) {
      long windowEnd = quietWindowEnd(quiet);
      if (closeQuietWindow(quiet, policy.releaseThreshold())) {
        endStorm(windowEnd, hubId, maxDevices, out);
        return;
      }
      summariseIfDue(windowEnd, hubId, policy, maxDevices, out);
    }
    summariseIfDue(now, hubId, policy, maxDevices, out);
    if (flushOpenPeriod && storm.periodCount > 0) summarise(now, hubId, false, maxDevices, out);
  }

  /** The next time {@link #settle} has something to do, or {@link Long#MAX_VALUE} when not in storm. */
  /** Alerts consolidated since the open storm started (0 when not in storm). */
  long consolidatedInStorm() {
    return storm == null ? 0 : storm.total;
  }

  long nextDueAt(CodePolicy policy) {
    if (storm == null) return Long.MAX_VALUE;
    return Math.min(storm.periodStart + policy.summaryPeriod().toMillis(),
        quietWindowEnd(policy.quietPeriod().toMillis()));
  }

  private void count(Alert alert, boolean deviceTracked) {
    OpenStorm storm = this.storm;
    if (storm.periodCount == 0) {
      storm.firstRaisedAt = alert.raisedAt();
      storm.firstRaisedMillis = alert.raisedAtMillis();
      storm.lastRaisedAt = alert.raisedAt();
      storm.lastRaisedMillis = alert.raisedAtMillis();
      storm.devices = new HashMap<>(4);
    } else {
      // Devices' clocks and the network reorder alerts: keep the true earliest and latest.
      if (alert.raisedAtMillis() < storm.firstRaisedMillis) {
        storm.firstRaisedAt = alert.raisedAt();
        storm.firstRaisedMillis = alert.raisedAtMillis();
      }
      if (alert.raisedAtMillis() > storm.lastRaisedMillis) {
        storm.lastRaisedAt = alert.raisedAt();
        storm.lastRaisedMillis = alert.raisedAtMillis();
      }
    }
    if (deviceTracked) {
      storm.devices.merge(
          alert.deviceId(),
          new StormEvent.DeviceCount(1, alert.deviceType(), alert.dmc()),
          (a, b) -> new StormEvent.DeviceCount(a.count() + 1,
              b.deviceType() != null ? b.deviceType() : a.deviceType(), b.dmc() != null ? b.dmc() : a.dmc()));
    } else {
      storm.untracked++;
    }
    storm.periodCount++;
    storm.total++;
    sinceLastForwarded++;
  }

  private void summariseIfDue(long now, String hubId, CodePolicy policy, int maxDevices, List<StormEvent> out) {
    long periodEnd = storm.periodStart + policy.summaryPeriod().toMillis();
    if (now < periodEnd) return;
    if (storm.periodCount > 0) {
      summarise(periodEnd, hubId, false, maxDevices, out);
    } else {
      storm.periodStart = periodEnd;
    }
  }

  private void summarise(long periodEnd, String hubId, boolean last, int maxDevices, List<StormEvent> out) {
    OpenStorm s = storm;
    s.summariesSent++;
    SummaryDevices folded = SummaryDevices.fold(s.devices, maxDevices);
    out.add(new StormEvent.Summary(hubId, alertCode(), s.startedAt, s.summariesSent, s.periodStart, periodEnd,
        s.firstRaisedAt, s.lastRaisedAt, folded.listed(), folded.otherDevices(), folded.otherCount() + s.untracked,
        s.untracked, HoldReason.STORM, s.periodCount, last));
    s.periodStart = periodEnd;
    s.periodCount = 0;
    s.devices = null;
    s.untracked = 0;
  }

  private void endStorm(long at, String hubId, int maxDevices, List<StormEvent> out) {
    if (storm.periodCount > 0) summarise(at, hubId, true, maxDevices, out);
    out.add(new StormEvent.Ended(hubId, alertCode(), storm.startedAt, at, storm.total, storm.summariesSent));
    storm = null;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  // The cluster's serialized form (org.csp.edge.cluster.state).

  /** Packs as {@link #pack} does, whether or not the code storms: its open storm, if any, is written apart. */
  void packRate(Packing.Writer out, long base) {
    out.fixed16(code);
    packWindow(out, base);
    out.varLong(sinceLastForwarded);
  }

  /** The open storm's counts; null when not in storm. */
  OpenStormParts openStorm() {
    OpenStorm s = storm;
    if (s == null) return null;
    return new OpenStormParts(alertCode(), s.startedAt, s.total, s.summariesSent, s.periodStart, s.periodCount,
        s.firstRaisedAt, s.firstRaisedMillis, s.lastRaisedAt, s.lastRaisedMillis,
        s.devices == null ? null : Map.copyOf(s.devices), s.untracked, quietSince(), quietCount());
  }

  /** Opens the storm again as {@code parts} describe it (a copy of the hub read on another member). */
  void reopen(OpenStormParts parts) {
    OpenStorm s = new OpenStorm(parts.startedAt());
    s.total = parts.total();
    s.summariesSent = parts.summariesSent();
    s.periodStart = parts.periodStart();
    s.periodCount = parts.periodCount();
    s.firstRaisedAt = parts.firstRaisedAt();
    s.firstRaisedMillis = parts.firstRaisedMillis();
    s.lastRaisedAt = parts.lastRaisedAt();
    s.lastRaisedMillis = parts.lastRaisedMillis();
    s.devices = parts.devices() == null ? null : new HashMap<>(parts.devices());
    s.untracked = parts.untracked();
    restoreQuietWindow(parts.quietWindowStart(), parts.quietWindowCount());
    storm = s;
  }
}
