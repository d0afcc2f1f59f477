package org.csp.edge.rollup;

import java.time.Duration;

/** The two granularities kept: hours (kept at least 14 days) and UTC days (at least 400). */
public enum Period {
  HOUR(Duration.ofHours(1)),
  DAY(Duration.ofDays(1));

  private final long millis;

  Period(Duration length) {
    this.millis = length.toMillis();
  }

  public long startOf(long epochMillis) {
    return Math.floorDiv(epochMillis, millis) * millis;
  }

  public long millis() {
    return millis;
  }
}
