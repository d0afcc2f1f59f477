package org.csp.edge.inventory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.csp.edge.alert.Dmc;

/**
 * Gathers an import's devices in file order and builds the sorted {@link DeviceTable}. Each DMC is interned once
 * (equal models share one record). A device listed twice keeps its last line's model ({@link #replaced} counts
 * them): the sort is a stable radix sort, so of equal ids the last one added comes last.
 */
final class DeviceTableBuilder {
  private static final int FIRST_CAPACITY = 1024;
  private static final int RADIX_BITS = 8;
  private static final int BUCKETS = 1 << RADIX_BITS;

  /** Refused: the import is larger than this member is configured to hold. */
  static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message);
    }
  }

  private final int maxDevices;
  private final int maxModels;
  private final Map<Dmc, Integer> interned = new HashMap<>();
  private Dmc[] models = new Dmc[16];
  private long[] ids = new long[FIRST_CAPACITY];
  private short[] modelIndex = new short[FIRST_CAPACITY];
  private int size;
  private int replaced = -1;

  DeviceTableBuilder(int maxDevices, int maxModels) {
    this.maxDevices = maxDevices;
    this.maxModels = Math.min(maxModels, DeviceTable.MAX_MODELS);
  }

  void add(long id, Dmc dmc) {
    Integer k = interned.get(dmc);
    if (k == null) {
      if (interned.size() >= maxModels) {
        throw new TooLarge("more than " + maxModels + " distinct models (inventory.maxModels)");
      }
      k = interned.size();
      interned.put(dmc, k);
      if (k == models.length) models = Arrays.copyOf(models, models.length * 2);
      models[k] = dmc;
    }
    if (size == maxDevices) throw new TooLarge("more than " + maxDevices + " devices (inventory.maxDevices)");
    if (size == ids.length) {
      int grown = (int) Math.min(maxDevices, Math.max(FIRST_CAPACITY, ids.length + (ids.length >> 1)));
      ids = Arrays.copyOf(ids, grown);
      modelIndex = Arrays.copyOf(modelIndex, grown);
    }
    ids[size] = id;
    modelIndex[size] = (short) (int) k;
    size++;
  }

  int lines() {
    return size;
  }

  /** Lines that named a device an earlier line had named (known once {@link #build} ran). */
  int replaced() {
    return replaced;
  }

  DeviceTable build() {
    long[] sortedIds = Arrays.copyOf(ids, size);
    short[] sortedModels = Arrays.copyOf(modelIndex, size);
    ids = null; // the growing arrays go before the sort takes its buffers
    modelIndex = null;
    radixSort(sortedIds, sortedModels);
    // Of equal ids the last is the latest line: keep it.
    int kept = 0;
    for (int i = 0; i < sortedIds.length; i++) {
      if (i + 1 < sortedIds.length && sortedIds[i + 1] == sortedIds[i]) continue;
      sortedIds[kept] = sortedIds[i];
      sortedModels[kept] = sortedModels[i];
      kept++;
    }
    replaced = sortedIds.length - kept;
    if (kept < sortedIds.length) {
      sortedIds = Arrays.copyOf(sortedIds, kept);
      sortedModels = Arrays.copyOf(sortedModels, kept);
    }
    return new DeviceTable(sortedIds, sortedModels, Arrays.copyOf(models, interned.size()));
  }

  /** Least significant digit first, a byte a pass, stable; a pass whose byte is the same everywhere is skipped. */
  private static void radixSort(long[] keys, short[] values) {
    int n = keys.length;
    long[] keyBuffer = new long[n];
    short[] valueBuffer = new short[n];
    long[] fromKeys = keys;
    short[] fromValues = values;
    long[] toKeys = keyBuffer;
    short[] toValues = valueBuffer;
    int[] count = new int[BUCKETS];
    for (int shift = 0; shift < Long.SIZE; shift += RADIX_BITS) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) count[(int) (fromKeys[i] >>> shift) & (BUCKETS - 1)]++;
      if (n == 0 || count[(int) (fromKeys[0] >>> shift) & (BUCKETS - 1)] == n) continue;
      int position = 0;
      for (int b = 0; b < BUCKETS; b++) {
        int c = count[b];
        count[b] = position;
        position += c;
      }
      for (int i = 0; i < n; i++) {
        int at = count[(int) (fromKeys[i] >>> shift) & (BUCKETS - 1)]++;
        toKeys[at] = fromKeys[i];
        toValues[at] = fromValues[i];
      }
      long[] k = fromKeys;
      fromKeys = toKeys;
      toKeys = k;
      short[] v = fromValues;
      fromValues = toValues;
      toValues = v;
    }
    if (fromKeys != keys) {
      System.arraycopy(fromKeys, 0, keys, 0, n);
      System.arraycopy(fromValues, 0, values, 0, n);
    }
  }
}
