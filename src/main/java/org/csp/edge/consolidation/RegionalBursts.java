package org.csp.edge.consolidation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spots one code arriving from many hubs at once (the burst after a power restoration) and gathers those alerts
 * into group events for a short wait instead of passing one message per hub. It sees only alerts that their hub's
 * own state let through, so it measures the breadth of a burst, not one chatty hub.
 *
 * <p>State is per node and guarded by this object's lock: intake verticles on several event loops call it.
 */
public final class RegionalBursts {
  private final Map<String, CodeBurst> codes = new HashMap<>();
  private int maxHubsPerGroup;

  public RegionalBursts(int maxHubsPerGroup) {
    this.maxHubsPerGroup = maxHubsPerGroup;
  }

  /** Counts a forwardable alert; returns true when it was taken into a group instead of being forwarded. */
  public synchronized boolean offer(String alertCode, String hubId, long now, CodePolicy policy, List<RegionalEvent> out) {
    CodeBurst burst = codes.computeIfAbsent(alertCode, CodeBurst::new);
    burst.settle(now, policy, out);
    return burst.offer(hubId, now, policy, maxHubsPerGroup, out);
  }

  /** Emits the groups whose wait is over and the bursts that have ended; with {@code flushAll}, every open group. */
  public synchronized void settle(long now, AlertPolicy policy, boolean flushAll, List<RegionalEvent> out) {
    maxHubsPerGroup = policy.maxHubsPerGroup();
    codes.values().removeIf(burst -> {
      burst.settle(now, policy.forCode(burst.alertCode), out);
      if (flushAll) burst.closeGroup(now, out);
      return burst.idle(now, policy.forCode(burst.alertCode));
    });
  }

  public synchronized int bursting() {
    int n = 0;
    for (CodeBurst b : codes.values()) if (b.active) n++;
    return n;
  }

  /** Alerts held in open groups right now (accounted, not yet in the outbox). */
  public synchronized long held() {
    long n = 0;
    for (CodeBurst b : codes.values()) n += b.groupCount;
    return n;
  }

  private static final class CodeBurst {
    final String alertCode;
    final RateWindow rate = new RateWindow();
    long lastSeen;
    boolean active;
    long startedAt;
    long totalGrouped;
    int groups;
    long quietWindowStart;
    int quietWindowCount;
    LinkedHashMap<String, Integer> group;
    long groupStart;
    int groupCount;

    CodeBurst(String alertCode) {
      this.alertCode = alertCode;
    }

    boolean offer(String hubId, long now, CodePolicy policy, int maxHubs, List<RegionalEvent> out) {
      lastSeen = now;
      double estimate = rate.record(now, policy.regionalWindow().toMillis());
      if (!active && estimate >= policy.regionalThreshold()) {
        active = true;
        startedAt = now;
        totalGrouped = 0;
        groups = 0;
        quietWindowStart = now;
        quietWindowCount = 0;
        out.add(new RegionalEvent.Started(alertCode, now, Math.round(estimate * 100) / 100.0,
            policy.regionalThreshold(), policy.regionalWindow().toMillis()));
      }
      if (!active) return false;
      if (group == null) {
        group = new LinkedHashMap<>();
        groupStart = now;
      }
      group.merge(hubId, 1, Integer::sum);
      groupCount++;
      totalGrouped++;
      quietWindowCount++;
      // Bound the size of one upstream message: a full group goes now, the next one opens.
      if (group.size() >= maxHubs) closeGroup(now, out);
      return true;
    }

    void settle(long now, CodePolicy policy, List<RegionalEvent> out) {
      if (group != null && now >= groupStart + policy.groupWait().toMillis()) closeGroup(now, out);
      if (!active) return;
      long window = policy.regionalWindow().toMillis();
      while (active && now >= quietWindowStart + window) {
        if (quietWindowCount < policy.regionalRelease()) {
          closeGroup(quietWindowStart + window, out);
          out.add(new RegionalEvent.Ended(alertCode, startedAt, quietWindowStart + window, totalGrouped, groups));
          active = false;
        } else {
          quietWindowStart += window;
          quietWindowCount = 0;
        }
      }
    }

    void closeGroup(long now, List<RegionalEvent> out) {
      if (group == null) return;
      groups++;
      out.add(new RegionalEvent.Group(alertCode, startedAt, groups, groupStart, Math.max(now, groupStart), group, groupCount));
      group = null;
      groupCount = 0;
    }

    boolean idle(long now, CodePolicy policy) {
      return !active && group == null && now - lastSeen > 2 * policy.regionalWindow().toMillis();
    }
  }
}
