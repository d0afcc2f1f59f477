package org.csp.edge.consolidation;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;

/**
 * One hub's state for one alert code: its rate, and while it storms, the open summary period. Every transition
 * that is due at a given time is settled before an alert is applied, so the result does not depend on when the
 * sweeper happens to run.
 */
final class CodeStorm implements Serializable {
  private final String alertCode;
  private final RateWindow rate = new RateWindow();
  /** Alerts consolidated since the last one forwarded: carried by the next forwarded alert. */
  private long sinceLastForwarded;

  private boolean inStorm;
  private long stormStartedAt;
  private long stormTotal;
  private int summariesSent;

  private long periodStart;
  private int periodCount;
  private String firstRaisedAt;
  private long firstRaisedMillis;
  private String lastRaisedAt;
  private long lastRaisedMillis;
  private Map<String, StormEvent.DeviceCount> devices;

  /** Release is judged over tumbling quiet windows: fewer than releaseThreshold in a whole window ends the storm. */
  private long quietWindowStart;
  private int quietWindowCount;

  CodeStorm(String alertCode) {
    this.alertCode = alertCode;
  }

  /** Decides one alert; storm transitions are appended to {@code out}. Returns FORWARD or CONSOLIDATED. */
  Verdict apply(Alert alert, long now, String hubId, CodePolicy policy, List<StormEvent> out) {
    settle(now, hubId, policy, false, out);
    double estimate = rate.record(now, policy.stormWindow().toMillis());
    if (!inStorm && estimate >= policy.stormThreshold()) {
      startStorm(now);
      out.add(new StormEvent.Started(hubId, alertCode, now, round(estimate), policy.stormThreshold(),
          policy.stormWindow().toMillis()));
    }
    if (!inStorm) return Verdict.FORWARD;
    count(alert);
    quietWindowCount++;
    return Verdict.CONSOLIDATED;
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
  void settle(long now, String hubId, CodePolicy policy, boolean flushOpenPeriod, List<StormEvent> out) {
    if (!inStorm) return;
    long quiet = policy.quietPeriod().toMillis();
    while (inStorm && now >= quietWindowStart + quiet) {
      long windowEnd = quietWindowStart + quiet;
      if (quietWindowCount < policy.releaseThreshold()) {
        endStorm(windowEnd, hubId, out);
        return;
      }
      summariseIfDue(windowEnd, hubId, policy, out);
      quietWindowStart = windowEnd;
      quietWindowCount = 0;
    }
    summariseIfDue(now, hubId, policy, out);
    if (flushOpenPeriod && periodCount > 0) summarise(now, hubId, false, out);
  }

  /** The next time {@link #settle} has something to do, or {@link Long#MAX_VALUE} when not in storm. */
  long nextDueAt(CodePolicy policy) {
    if (!inStorm) return Long.MAX_VALUE;
    return Math.min(periodStart + policy.summaryPeriod().toMillis(), quietWindowStart + policy.quietPeriod().toMillis());
  }

  boolean inStorm() {
    return inStorm;
  }

  private void startStorm(long now) {
    inStorm = true;
    stormStartedAt = now;
    stormTotal = 0;
    summariesSent = 0;
    periodStart = now;
    quietWindowStart = now;
    quietWindowCount = 0;
  }

  private void count(Alert alert) {
    if (periodCount == 0) {
      firstRaisedAt = alert.raisedAt();
      firstRaisedMillis = alert.raisedAtMillis();
      lastRaisedAt = alert.raisedAt();
      lastRaisedMillis = alert.raisedAtMillis();
      devices = new HashMap<>(4);
    } else {
      // Devices' clocks and the network reorder alerts: keep the true earliest and latest.
      if (alert.raisedAtMillis() < firstRaisedMillis) {
        firstRaisedAt = alert.raisedAt();
        firstRaisedMillis = alert.raisedAtMillis();
      }
      if (alert.raisedAtMillis() > lastRaisedMillis) {
        lastRaisedAt = alert.raisedAt();
        lastRaisedMillis = alert.raisedAtMillis();
      }
    }
    devices.merge(
        alert.deviceId(),
        new StormEvent.DeviceCount(1, alert.deviceType(), alert.dmc()),
        (a, b) -> new StormEvent.DeviceCount(a.count() + 1,
            b.deviceType() != null ? b.deviceType() : a.deviceType(), b.dmc() != null ? b.dmc() : a.dmc()));
    periodCount++;
    stormTotal++;
    sinceLastForwarded++;
  }

  private void summariseIfDue(long now, String hubId, CodePolicy policy, List<StormEvent> out) {
    long periodEnd = periodStart + policy.summaryPeriod().toMillis();
    if (now < periodEnd) return;
    if (periodCount > 0) {
      summarise(periodEnd, hubId, false, out);
    } else {
      periodStart = periodEnd;
    }
  }

  private void summarise(long periodEnd, String hubId, boolean last, List<StormEvent> out) {
    summariesSent++;
    out.add(new StormEvent.Summary(hubId, alertCode, stormStartedAt, summariesSent, periodStart, periodEnd,
        firstRaisedAt, lastRaisedAt, Map.copyOf(devices), periodCount, last));
    periodStart = periodEnd;
    periodCount = 0;
    devices = null;
  }

  private void endStorm(long at, String hubId, List<StormEvent> out) {
    if (periodCount > 0) summarise(at, hubId, true, out);
    out.add(new StormEvent.Ended(hubId, alertCode, stormStartedAt, at, stormTotal, summariesSent));
    inStorm = false;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
