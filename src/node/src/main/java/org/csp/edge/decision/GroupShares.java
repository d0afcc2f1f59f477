package org.csp.edge.decision;

import java.util.HashMap;
import java.util.Map;

/**
 * A hub's shares of regional groups and the protocol they follow (src/docs/design.md, "Regional groups"): an open
 * share per code, counting the hub's grouped alerts; SEAL moves it into a group (once: a share is never sealed into
 * two groups); RELEASE forgets it once the group event was acknowledged upstream; UNSEAL puts it back into the open
 * share when its group was never recorded. Every step is idempotent, so a member taking over may repeat it. Held by
 * the hub's state only while it has a share, so most hubs hold none.
 */
final class GroupShares {
  /** Code to the open share; null when none. */
  private HashMap<String, GroupShare> open;
  /** Group id to the share sealed into that group event, until the broker acknowledged it; null when none. */
  private HashMap<String, GroupShare.Sealed> sealed;

  boolean isEmpty() {
    return open == null && sealed == null;
  }

  /** One more alert of {@code alertCode} grouped at {@code at}. */
  void add(String alertCode, long at) {
    if (open == null) open = new HashMap<>(2);
    open.merge(alertCode, GroupShare.first(alertCode, at), (a, b) -> a.plus(at));
  }

  /** SEAL: see {@link HubState#seal}. */
  GroupShare seal(String alertCode, String groupId, String creator) {
    if (sealed != null && sealed.containsKey(groupId)) return sealed.get(groupId).share();
    GroupShare share = open == null ? null : open.remove(alertCode);
    if (share == null) return null;
    if (open.isEmpty()) open = null;
    if (sealed == null) sealed = new HashMap<>(2);
    sealed.put(groupId, new GroupShare.Sealed(groupId, creator, share));
    return share;
  }

  /** RELEASE: the group event was acknowledged upstream. */
  boolean release(String groupId) {
    if (sealed == null || sealed.remove(groupId) == null) return false;
    if (sealed.isEmpty()) sealed = null;
    return true;
  }

  /** UNSEAL: the group was never recorded; its share goes back into the open one. */
  boolean unseal(String groupId) {
    GroupShare.Sealed s = sealed == null ? null : sealed.remove(groupId);
    if (s == null) return false;
    if (sealed.isEmpty()) sealed = null;
    if (open == null) open = new HashMap<>(2);
    open.merge(s.share().alertCode(), s.share(), GroupShare::plus);
    return true;
  }

  /** The open shares, by code (a copy). */
  Map<String, GroupShare> open() {
    return open == null ? Map.of() : Map.copyOf(open);
  }

  /** Group id to the member that sealed a share into it. */
  Map<String, String> sealedInto() {
    if (sealed == null) return Map.of();
    Map<String, String> seals = new HashMap<>(sealed.size());
    for (GroupShare.Sealed s : sealed.values()) seals.put(s.groupId(), s.creator());
    return seals;
  }

  // The cluster's serialized form (org.csp.edge.cluster.state).

  java.util.List<GroupShare.Sealed> sealedShares() {
    return sealed == null ? java.util.List.of() : java.util.List.copyOf(sealed.values());
  }

  /** The shares {@code open} (by code) and {@code sealed} describe; null when there are none. */
  static GroupShares of(Map<String, GroupShare> open, java.util.List<GroupShare.Sealed> sealed) {
    if (open.isEmpty() && sealed.isEmpty()) return null;
    GroupShares shares = new GroupShares();
    if (!open.isEmpty()) shares.open = new HashMap<>(open);
    if (!sealed.isEmpty()) {
      shares.sealed = new HashMap<>(2);
      for (GroupShare.Sealed s : sealed) shares.sealed.put(s.groupId(), s);
    }
    return shares;
  }
}
