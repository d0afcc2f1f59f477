package org.csp.edge.config;

import java.time.Duration;

/**
 * The {@code digests} section: one digest per recipient and period, built from the rollups (src/docs/design.md,
 * "Digests"). The period is whole hours that divide a day, so that periods align to UTC midnight and are made of
 * the rollups' hours; the delay leaves time for every member's last flush of the period to reach the stores.
 */
final class DigestSettings {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);
  /** Within the hourly rollups' least retention (14 days): older hours may be gone from the store. */
  private static final Duration MAX_LOOK_BACK = Duration.ofDays(14);
  private static final int MAX_TOP = 100;

  private DigestSettings() {}

  static NodeConfig.Digests read(Section s, NodeConfig.Rollups rollups) {
    boolean enabled = s.bool("enabled", true);
    Duration period = s.duration("period", DAY, HOUR);
    if (period.toMillis() % HOUR.toMillis() != 0 || DAY.toMillis() % period.toMillis() != 0) {
      s.problem("period", "must be whole hours that divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d), got "
          + Durations.format(period));
    }
    Duration checkInterval = s.duration("checkInterval", Duration.ofSeconds(30), Duration.ofMillis(100));
    Duration delay = s.duration("delay", Duration.ofMinutes(5), Duration.ZERO);
    if (rollups != null) {
      // Every member flushes within flushInterval of the period's end, the others copy it in within another, and
      // storms seen by any member are shared at its next check.
      Duration least = rollups.flushInterval().multipliedBy(2).plus(checkInterval);
      if (delay.compareTo(least) < 0) {
        s.problem("delay", "must be at least twice rollups.flushInterval plus digests.checkInterval ("
            + Durations.format(least) + "), so that every member's counts of the period are stored; got " + Durations.format(delay));
      }
    }
    Duration lookBack = s.duration("lookBack", Duration.ofDays(7), HOUR);
    if (lookBack.compareTo(MAX_LOOK_BACK) > 0) {
      s.problem("lookBack", "must be at most " + Durations.format(MAX_LOOK_BACK) + " (the hourly rollups' least retention), got "
          + Durations.format(lookBack));
    }
    int top = s.integer("top", 10, 1, MAX_TOP);
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Digests(enabled, period, checkInterval, delay, lookBack, top));
  }
}
