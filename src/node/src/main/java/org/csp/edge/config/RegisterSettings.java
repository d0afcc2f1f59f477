package org.csp.edge.config;

import java.time.Duration;

/**
 * The {@code register} section: the register of storm-causing device models (src/docs/operations.md, "Register of
 * storm-causing device models"). Computed from the hourly rollups, so its window is kept by them.
 */
final class RegisterSettings {
  /** Issue 20: recomputed at least every five minutes, so that a storm shows while it happens. */
  private static final Duration MAX_RECOMPUTE = Duration.ofMinutes(5);
  private static final Duration MIN_RECOMPUTE = Duration.ofSeconds(1);
  /** The window is whole hours of rollups, the current one included. */
  private static final Duration MIN_WINDOW = Duration.ofHours(1);

  private RegisterSettings() {}

  static NodeConfig.Register read(Section s, NodeConfig.Rollups rollups) {
    Duration window = s.duration("window", Duration.ofHours(24), MIN_WINDOW);
    if (window.toMillis() % MIN_WINDOW.toMillis() != 0) {
      s.problem("window", "must be whole hours (the hourly rollups), got " + Durations.format(window));
    }
    if (rollups != null && window.compareTo(rollups.hourlyRetention()) > 0) {
      s.problem("window", "must be at most rollups.hourlyRetention (" + Durations.format(rollups.hourlyRetention())
          + "), got " + Durations.format(window));
    }
    Duration every = s.duration("recomputeEvery", Duration.ofMinutes(5), MIN_RECOMPUTE);
    if (every.compareTo(MAX_RECOMPUTE) > 0) {
      s.problem("recomputeEvery", "must be at most " + Durations.format(MAX_RECOMPUTE) + " (a storm shows while it"
          + " happens), got " + Durations.format(every));
    }
    Section fdr = s.section("falseDiscoveryRate");
    double suspected = rate(fdr, "suspected", 0.01);
    double confirmed = rate(fdr, "confirmed", 0.001);
    if (confirmed > suspected) {
      fdr.problem("confirmed", "must be at most falseDiscoveryRate.suspected (" + suspected + "): confirmed is the"
          + " more certain status, got " + confirmed);
    }
    fdr.refuseUnknownKeys();
    double minRateRatio = s.number("minRateRatio", 2, 1, " (1: any excess)");
    int minDevices = s.integer("minDevices", 30, 1, Integer.MAX_VALUE);
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Register(window, every, suspected, confirmed, minRateRatio, minDevices));
  }

  private static double rate(Section s, String key, double fallback) {
    double v = s.number(key, fallback, 0, "");
    if (!(v > 0 && v < 1)) {
      s.problem(key, "must be a rate above 0 and below 1 (e.g. " + fallback + "), got " + v);
      return fallback;
    }
    return v;
  }
}
