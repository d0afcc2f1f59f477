package org.csp.edge.decision;

/**
 * Asked, for an alert that its hub's state lets through, whether its code is bursting across the region so the
 * alert goes into a group instead. Only a hub's owner asks it (the member's burst detector, {@link RegionalBursts});
 * its answers are recorded ({@link RegionalAnswers}) for the backup copy, which looks them up instead of asking.
 */
public interface RegionalGate {
  /** Whether the alert goes into the region's group; the alert counts towards the region's burst. */
  boolean group(String alertCode, String hubId, long now, CodePolicy policy);

  /**
   * Whether the region is bursting on the code now, without counting toward its rate: asked when a hub reaches its own storm
   * threshold, so that a hub that is part of a regional burst is grouped instead of starting a storm of its own.
   */
  default boolean bursting(String alertCode, long now, CodePolicy policy) {
    return false;
  }

  /**
   * Whether the gate cannot tell a regional burst now: it is still learning the region's background (baseline
   * detection, its first {@code regionalWarmUp}), so every hub of a burst storms on its own meanwhile.
   */
  default boolean learning(long now, CodePolicy policy) {
    return false;
  }

  RegionalGate NEVER = (code, hub, now, policy) -> false;
}
