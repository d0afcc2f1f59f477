package org.csp.edge.consolidation;

/**
 * Asked, for an alert that its hub's state lets through, whether its code is bursting across the region so the
 * alert goes into a group instead. On a hub's owner it is the member's burst detector; on a backup it replays the
 * owner's answers, so that the backup copy of the state ends up exactly like the primary.
 */
public interface RegionalGate {
  boolean group(String alertCode, String hubId, long now, CodePolicy policy);

  RegionalGate NEVER = (code, hub, now, policy) -> false;
}
