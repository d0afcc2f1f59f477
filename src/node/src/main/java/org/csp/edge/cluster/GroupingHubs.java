package org.csp.edge.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.alert.Eui64;
import org.csp.edge.decision.GroupShare;

/**
 * The part of {@link OwnedHubs}' registry that says which hubs have an open group share, by code: what the sweeper
 * seals ({@link RegionalGroups#closeDue}) and status counts ({@link HubCounts}). Kept on owners and backups alike, as
 * the rest of the registry, so that a promoted backup knows its old owner's shares to seal.
 *
 * <p>Only hubs whose id is an EUI-64 in the wire form ({@link Eui64#packUpper}) are kept here, as their 64 bits in a
 * primitive table per code: a grouped hub costs 16 to 32 bytes here instead of the 184 of a registry entry of its own
 * (src/bench/results/2026-12-06-memory-grouped.md). Other ids keep their open shares in their {@code HubAttention}.
 *
 * <p>Each code's table is cut into stripes by the hub's hash, each behind its own lock: the partition threads note
 * hubs of one code at once, and a stripe's growth copies a sixteenth of the code's hubs, not all of them.
 */
final class GroupingHubs {
  private static final int STRIPES = 16;

  private final Map<String, Code> codes = new ConcurrentHashMap<>();

  /** The 64 bits under which a hub is kept here, or {@link Eui64#NOT_AN_ID} when its id must be kept otherwise. */
  static long key(String hubId) {
    return Eui64.packUpper(hubId);
  }

  /** The hub's open shares are now {@code open} (by code): noted under their codes, and dropped from every other code. */
  void noted(long hub, Map<String, GroupShare> open) {
    for (Map.Entry<String, GroupShare> e : open.entrySet()) {
      GroupShare s = e.getValue();
      codes.computeIfAbsent(e.getKey(), c -> new Code()).put(hub, s.firstAt(), s.count());
    }
    if (codes.size() == open.size()) return; // every code known here is among the hub's
    for (Map.Entry<String, Code> e : codes.entrySet()) {
      if (!open.containsKey(e.getKey())) e.getValue().remove(hub);
    }
  }

  /** The codes with hubs here (some perhaps none left). */
  Set<String> codes() {
    return codes.keySet();
  }

  /**
   * The code's hubs with an open share, each with its first time and count, visited stripe by stripe under the
   * stripe's lock: no copy of a million hubs per sweep (each copy was garbage the young collections had to skip). The
   * partition threads noting hubs of a stripe wait while it is visited, so {@code visitor} must be quick. It may ask
   * {@link #contains} only of a code that sorts before the visited one ({@link HubCounts}): stripes of two codes are
   * then always locked in that one order, so that two visits never wait on each other.
   */
  void forEach(String code, OpenShareTable.Visitor visitor) {
    Code c = codes.get(code);
    if (c == null) return;
    c.forEach(visitor);
  }

  /** Whether the hub has an open share of the code. */
  boolean contains(String code, long hub) {
    Code c = codes.get(code);
    return c != null && c.contains(hub);
  }

  /** The hubs with an open share of the code (owned or not). */
  int size(String code) {
    Code c = codes.get(code);
    return c == null ? 0 : c.size();
  }

  /** The oldest first time of the code's open shares (owned or not), {@link Long#MAX_VALUE} when none. */
  long oldestFirstAt(String code) {
    Code c = codes.get(code);
    if (c == null) return Long.MAX_VALUE;
    return c.oldestFirstAt();
  }

  /** One code's stripes. A stripe's table is dropped when its last hub leaves, so a past burst's code costs little. */
  private static final class Code {
    private final Stripe[] stripes = new Stripe[STRIPES];

    Code() {
      for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe();
    }

    private Stripe of(long hub) {
      // The low bits of the mix; a table places by its high bits, so a stripe's hubs still spread over its table.
      return stripes[(int) OpenShareTable.mix(hub) & (STRIPES - 1)];
    }

    void put(long hub, long firstAt, int count) {
      of(hub).put(hub, firstAt, count);
    }

    void remove(long hub) {
      of(hub).remove(hub);
    }

    boolean contains(long hub) {
      return of(hub).contains(hub);
    }

    int size() {
      int n = 0;
      for (Stripe s : stripes) n += s.size();
      return n;
    }

    void forEach(OpenShareTable.Visitor visitor) {
      for (Stripe s : stripes) s.forEach(visitor);
    }

    long oldestFirstAt() {
      long oldest = Long.MAX_VALUE;
      for (Stripe s : stripes) oldest = Math.min(oldest, s.oldestFirstAt());
      return oldest;
    }
  }

  private static final class Stripe {
    /** Read without the lock to skip an empty stripe: a hub is noted by its partition's thread only. */
    private volatile OpenShareTable table;

    synchronized void put(long hub, long firstAt, int count) {
      if (table == null) table = new OpenShareTable(firstAt);
      table.put(hub, firstAt, count);
    }

    void remove(long hub) {
      if (table == null) return;
      synchronized (this) {
        OpenShareTable t = table;
        if (t != null && t.remove(hub) && t.size() == 0) table = null;
      }
    }

    synchronized boolean contains(long hub) {
      return table != null && table.contains(hub);
    }

    synchronized int size() {
      return table == null ? 0 : table.size();
    }

    void forEach(OpenShareTable.Visitor visitor) {
      if (table == null) return;
      synchronized (this) {
        if (table != null) table.forEach(visitor);
      }
    }

    long oldestFirstAt() {
      if (table == null) return Long.MAX_VALUE;
      synchronized (this) {
        return table == null ? Long.MAX_VALUE : table.oldestFirstAt();
      }
    }
  }
}
