package org.csp.edge.decision;

import java.time.Duration;

/**
 * The storm rules for one alert code. Read from and written to the configuration by
 * {@code config.PolicyJson}; a value out of range is an {@link IllegalArgumentException}.
 *
 * <p>Hub storm: a hub is in storm for the code once its rate reaches {@code stormThreshold} alerts within
 * {@code stormWindow}; it leaves the storm when a whole {@code quietPeriod} passes with fewer than
 * {@code releaseThreshold} alerts. While in storm a summary goes up every {@code summaryPeriod}.
 *
 * <p>Regional burst: the code is bursting in the region once {@code regionalThreshold} alerts from hubs that are
 * not in storm arrive within {@code regionalWindow}; then they are gathered for {@code groupWait} and sent as
 * group events. The burst ends when a whole {@code regionalWindow} sees fewer than {@code regionalRelease}.
 * With {@code regional} in baseline mode (the default) both figures are floors, and the code must also rise well
 * above its learned background ({@link RegionalDetection}).
 */
public record CodePolicy(
    CodeMode mode,
    int stormThreshold,
    Duration stormWindow,
    int releaseThreshold,
    Duration quietPeriod,
    Duration summaryPeriod,
    int regionalThreshold,
    Duration regionalWindow,
    int regionalRelease,
    Duration groupWait,
    RegionalDetection regional) {

  /** Production defaults: see src/docs/design.md for why these values. */
  public static final CodePolicy DEFAULTS =
      new CodePolicy(
          CodeMode.CONSOLIDATE,
          10,
          Duration.ofSeconds(60),
          3,
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          200,
          Duration.ofSeconds(10),
          50,
          Duration.ofSeconds(2),
          RegionalDetection.DEFAULTS);

  /** A rule with the default regional detection. */
  public CodePolicy(CodeMode mode, int stormThreshold, Duration stormWindow, int releaseThreshold, Duration quietPeriod,
      Duration summaryPeriod, int regionalThreshold, Duration regionalWindow, int regionalRelease, Duration groupWait) {
    this(mode, stormThreshold, stormWindow, releaseThreshold, quietPeriod, summaryPeriod, regionalThreshold,
        regionalWindow, regionalRelease, groupWait, RegionalDetection.DEFAULTS);
  }

  public CodePolicy {
    if (stormThreshold < 1) throw new IllegalArgumentException("stormThreshold must be at least 1, was " + stormThreshold);
    if (releaseThreshold < 1 || releaseThreshold > stormThreshold) {
      throw new IllegalArgumentException(
          "releaseThreshold must be between 1 and stormThreshold (" + stormThreshold + "), was " + releaseThreshold);
    }
    if (regionalThreshold < 1) throw new IllegalArgumentException("regionalThreshold must be at least 1");
    if (regionalRelease < 1 || regionalRelease > regionalThreshold) {
      throw new IllegalArgumentException("regionalRelease must be between 1 and regionalThreshold (" + regionalThreshold + ")");
    }
    if (regional == null) throw new IllegalArgumentException("regional detection missing");
    for (Duration d : new Duration[] {stormWindow, quietPeriod, summaryPeriod, regionalWindow, groupWait}) {
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("policy durations must be positive");
    }
  }
}
