package org.csp.edge.rollup;

import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * The sketches of the rollups, with their sizes from the configuration: HLL for distinct hubs and devices (merged
 * by union: a hub counted on two members, or in two hours, is counted once), frequent items for the top offenders.
 */
public record Sketches(int lgK, int topItems) {
  private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();
  public static final byte[] EMPTY = new byte[0];

  public HllSketch newDistinct() {
    // HLL_8: a byte per register (4 KiB at lgK 12 when full), the fastest update of the three types.
    return new HllSketch(lgK, TgtHllType.HLL_8);
  }

  public Union newUnion() {
    return new Union(lgK);
  }

  public ItemsSketch<String> newTop() {
    return new ItemsSketch<>(topItems);
  }

  public static byte[] bytes(HllSketch s) {
    return s.isEmpty() ? EMPTY : s.toCompactByteArray();
  }

  public static byte[] bytes(ItemsSketch<String> s) {
    return s.isEmpty() ? EMPTY : s.toByteArray(STRINGS);
  }

  /** Adds a stored HLL to a union (an empty array is an empty sketch). */
  public static void unionInto(Union u, byte[] hll) {
    if (hll.length > 0) u.update(HllSketch.heapify(hll));
  }

  public static void mergeInto(ItemsSketch<String> into, byte[] top) {
    if (top.length > 0) into.merge(ItemsSketch.getInstance(Memory.wrap(top), STRINGS));
  }
}
