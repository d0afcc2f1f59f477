package org.csp.edge.decision;

/**
 * Why alerts were held in a summary instead of forwarded (wire format rev 2, "Why alerts were held"). A summary's
 * period is held for one reason only: alerts held for different reasons are never mixed in one summary.
 */
public enum HoldReason {
  /** The hub stormed on the code. */
  STORM("storm"),
  /** An operator's silence matched them. */
  SILENCED("silenced"),
  /** An inhibition rule held them after its source alert. */
  INHIBITED("inhibited");

  private final String wireName;

  HoldReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
