package org.csp.edge.decision;

import java.util.HashMap;
import java.util.Map;

/**
 * A hub's shares of regional groups and the protocol they follow (src/docs/design.md, "Regional groups"): an open
 * share per code, counting the hub's grouped alerts; SEAL moves it into a group (once: a share is never sealed into
 * two groups); RELEASE forgets it once the group event was acknowledged upstream; UNSEAL puts it back into the open
 * share when its group was never recorded. Every step is idempotent, so a member taking over may repeat it. Held by
 * the hub's state only while it has a share, so most hubs hold none.
 *
 * <p>A burst reaches up to millions of hubs at once, each with one open share (one code bursts), so that share is
 * held alone ({@link #openOne}): a map of one entry cost 120 bytes more per hub (src/bench/results/
 * 2026-12-05-memory-grouped.md). A hub with shares of several codes open at once keeps them in a map.
 */
final class GroupShares {
  /** The open share when the hub has only one; null otherwise. */
  private GroupShare openOne;
  /** Code to the open share when the hub has shares of two or more codes open (or had: never empty); else null. */
  private HashMap<String, GroupShare> openMore;
  /** Group id to the share sealed into that group event, until the broker acknowledged it; null when none. */
  private HashMap<String, GroupShare.Sealed> sealed;

  boolean isEmpty() {
    return openOne == null && openMore == null && sealed == null;
  }

  /** One more alert of {@code alertCode} grouped at {@code at}. */
  void add(String alertCode, long at) {
    // The code's shared name, not the alert's own copy: every grouped hub holds it for as long as its share is open.
    String code = AlertCodes.name(AlertCodes.key(alertCode));
    if (openOne == null && openMore == null) {
      openOne = GroupShare.first(code, at);
    } else if (openOne != null && openOne.alertCode().equals(code)) {
      openOne = openOne.plus(at);
    } else {
      moreShares().merge(code, GroupShare.first(code, at), (a, b) -> a.plus(at));
    }
  }

  /** SEAL: see {@link HubState#seal}. */
  GroupShare seal(String alertCode, String groupId, String creator) {
    if (sealed != null && sealed.containsKey(groupId)) return sealed.get(groupId).share();
    GroupShare share = takeOpen(alertCode);
    if (share == null) return null;
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
    GroupShare back = s.share();
    if (openOne == null && openMore == null) {
      openOne = back;
    } else if (openOne != null && openOne.alertCode().equals(back.alertCode())) {
      openOne = openOne.plus(back);
    } else {
      moreShares().merge(back.alertCode(), back, GroupShare::plus);
    }
    return true;
  }

  /** The open shares, by code (a copy). */
  Map<String, GroupShare> open() {
    if (openOne != null) return Map.of(openOne.alertCode(), openOne);
    return openMore == null ? Map.of() : Map.copyOf(openMore);
  }

  /** The open share of {@code alertCode}, removed; null when none. */
  private GroupShare takeOpen(String alertCode) {
    if (openOne != null) {
      if (!openOne.alertCode().equals(alertCode)) return null;
      GroupShare share = openOne;
      openOne = null;
      return share;
    }
    GroupShare share = openMore == null ? null : openMore.remove(alertCode);
    if (openMore != null && openMore.isEmpty()) openMore = null;
    return share;
  }

  /** The map of open shares, the single one moved into it first. */
  private HashMap<String, GroupShare> moreShares() {
    if (openMore == null) openMore = new HashMap<>(4);
    if (openOne != null) {
      openMore.put(openOne.alertCode(), openOne);
      openOne = null;
    }
    return openMore;
  }

  /** The open share when it is the hub's only share, open or sealed; null otherwise. */
  GroupShare loneOpen() {
    return openMore == null && sealed == null ? openOne : null;
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
    if (open.size() == 1) shares.openOne = open.values().iterator().next();
    else if (!open.isEmpty()) shares.openMore = new HashMap<>(open);
    if (!sealed.isEmpty()) {
      shares.sealed = new HashMap<>(2);
      for (GroupShare.Sealed s : sealed) shares.sealed.put(s.groupId(), s);
    }
    return shares;
  }
}
