package org.csp.edge.decision;

/** What the policy does with an alert code. */
public enum CodeMode {
  /** Always passes singly: alerts that must never be delayed or folded into a summary. */
  FORWARD,
  /** Passes singly until a hub (or the region) storms on the code; then folded into summaries or groups. */
  CONSOLIDATE;

  public String wireName() {
    return name().toLowerCase();
  }
}
