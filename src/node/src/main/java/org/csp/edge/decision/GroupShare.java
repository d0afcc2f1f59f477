package org.csp.edge.decision;

/**
 * A hub's part of a regional group: its alerts of one code that went into a group instead of upstream singly.
 * Kept in the hub's state (so backed up with it) while open; sealed into one group event by the owner; released
 * when the broker acknowledged that event.
 */
public record GroupShare(String alertCode, int count, long firstAt, long lastAt) {

  GroupShare plus(long at) {
    return new GroupShare(alertCode, count + 1, firstAt, Math.max(lastAt, at));
  }

  GroupShare plus(GroupShare other) {
    return new GroupShare(alertCode, count + other.count, Math.min(firstAt, other.firstAt), Math.max(lastAt, other.lastAt));
  }

  static GroupShare first(String alertCode, long at) {
    return new GroupShare(alertCode, 1, at, at);
  }

  /** A share sealed into the group event {@code groupId} by the member {@code creator}. */
  public record Sealed(String groupId, String creator, GroupShare share) {}
}
