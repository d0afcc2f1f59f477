package org.csp.edge.consolidation;

/** What the hub's state decided for one alert. */
public enum Verdict {
  /** Passes upstream singly (unless the region is bursting on its code, then it goes into a group). */
  FORWARD,
  /** The hub is in storm for the code: the alert is counted into the current summary period. */
  CONSOLIDATED,
  /** Same device and originator counter seen within the retention window: counted as a duplicate header. */
  DUPLICATE;

  private static final Verdict[] ALL = values();

  static Verdict of(byte ordinal) {
    return ALL[ordinal];
  }
}
