package org.csp.edge.cluster;

import java.util.Arrays;
import org.csp.edge.alert.Eui64;

/**
 * Hubs with an open share of one code, each as its EUI-64 with its share's first grouped alert and count: two
 * {@code long} arrays under open addressing (linear probing, backward-shift removal), 16 bytes a slot, instead of a
 * map entry, a String and a record per hub (src/bench/results/2026-12-06-memory-grouped.md). Not thread-safe:
 * {@link GroupingHubs} locks around it.
 *
 * <p>The capacity is any size (a slot is found by multiplying the hash's high half, not by masking), grown by half
 * past a load of 0.8 and shrunk when an eighth is left, so that a million hubs do not sit in a table twice their size.
 * The first time is kept as milliseconds from the table's {@code base} in the value's high half, the count in its
 * low half.
 */
final class OpenShareTable {
  /** No key: {@link Eui64#NOT_AN_ID} is also FF-FF-FF-FF-FF-FF-FF-FF, which {@link GroupingHubs} never stores. */
  static final long FREE = Eui64.NOT_AN_ID;
  private static final int MIN_CAPACITY = 8;

  /** One hub's share, as visited. */
  interface Visitor {
    void share(long hub, long firstAt, int count);
  }

  private final long base;
  private long[] hubs;
  private long[] shares;
  private int size;

  OpenShareTable(long base) {
    this.base = base;
    allocate(MIN_CAPACITY);
  }

  int size() {
    return size;
  }

  int capacity() {
    return hubs.length;
  }

  /** Notes the hub's share (replacing what it had). */
  void put(long hub, long firstAt, int count) {
    if (hub == FREE) throw new IllegalArgumentException("not a storable hub id");
    int i = slot(hub);
    if (hubs[i] == hub) {
      shares[i] = pack(firstAt, count);
      return;
    }
    if ((size + 1) * 5L > hubs.length * 4L) {
      resize(hubs.length + hubs.length / 2);
      i = slot(hub);
    }
    hubs[i] = hub;
    shares[i] = pack(firstAt, count);
    size++;
  }

  boolean contains(long hub) {
    return hubs[slot(hub)] == hub;
  }

  /** The hub's share's first time, or {@link Long#MAX_VALUE} when it has none here. */
  long firstAt(long hub) {
    int i = slot(hub);
    return hubs[i] == hub ? firstAtOf(shares[i]) : Long.MAX_VALUE;
  }

  /** Removes the hub; false when it was not here. */
  boolean remove(long hub) {
    int i = slot(hub);
    if (hubs[i] != hub) return false;
    size--;
    // Backward shift: every later key of the run whose home is not cyclically in (i, j] moves back into the hole.
    int j = i;
    while (true) {
      j = next(j);
      long k = hubs[j];
      if (k == FREE) break;
      int home = home(k);
      boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        hubs[i] = k;
        shares[i] = shares[j];
        i = j;
      }
    }
    hubs[i] = FREE;
    if (hubs.length > MIN_CAPACITY && size < hubs.length / 8) resize(Math.max(MIN_CAPACITY, size * 2));
    return true;
  }

  /** The oldest first time of the shares here, {@link Long#MAX_VALUE} when none. */
  long oldestFirstAt() {
    long oldest = Long.MAX_VALUE;
    for (int i = 0; i < hubs.length; i++) if (hubs[i] != FREE) oldest = Math.min(oldest, firstAtOf(shares[i]));
    return oldest;
  }

  void forEach(Visitor visitor) {
    for (int i = 0; i < hubs.length; i++) if (hubs[i] != FREE) visitor.share(hubs[i], firstAtOf(shares[i]), (int) shares[i]);
  }

  private long pack(long firstAt, int count) {
    // Milliseconds from base in an int: 24 days either way, far longer than any share stays open (clamped beyond).
    long offset = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, firstAt - base));
    return offset << 32 | (count & 0xFFFFFFFFL);
  }

  private long firstAtOf(long share) {
    return base + (share >> 32);
  }

  /** The hub's slot, or the free slot where it would go. */
  private int slot(long hub) {
    int i = home(hub);
    while (hubs[i] != FREE && hubs[i] != hub) i = next(i);
    return i;
  }

  private int home(long hub) {
    long h = mix(hub);
    return (int) (((h >>> 32) * hubs.length) >>> 32);
  }

  private int next(int i) {
    return i + 1 == hubs.length ? 0 : i + 1;
  }

  /** MurmurHash3's finaliser: EUI-64s share their maker's prefix, so the low bits alone would cluster. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private void resize(int capacity) {
    long[] oldHubs = hubs, oldShares = shares;
    allocate(capacity);
    for (int i = 0; i < oldHubs.length; i++) {
      if (oldHubs[i] == FREE) continue;
      int j = slot(oldHubs[i]);
      hubs[j] = oldHubs[i];
      shares[j] = oldShares[i];
    }
  }

  private void allocate(int capacity) {
    hubs = new long[capacity];
    Arrays.fill(hubs, FREE);
    shares = new long[capacity];
  }
}
