package org.csp.edge.decision;

/** What the hub's state decided for one alert. Append only: ordinals travel in byte arrays between members. */
public enum Verdict {
  /** Passes upstream singly. */
  FORWARD,
  /** The hub is in storm for the code: the alert is counted into the current summary period. */
  CONSOLIDATED,
  /** Same device and originator counter seen within the retention window: counted as a duplicate header. */
  DUPLICATE,
  /** Its code is bursting across the region: counted into the hub's share of a group event. */
  GROUPED,
  /** An operator's silence matched it: counted into the silence's held summary for its hub and code. */
  SILENCED,
  /** An inhibition rule holds its code after a source alert: counted into the rule's held summary. */
  INHIBITED;

  private static final Verdict[] ALL = values();

  public static Verdict of(byte ordinal) {
    return ALL[ordinal];
  }
}
