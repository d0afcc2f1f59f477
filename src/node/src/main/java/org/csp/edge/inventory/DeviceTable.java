package org.csp.edge.inventory;

import java.util.Arrays;
import org.csp.edge.alert.Dmc;

/**
 * The inventory as each member holds it, read-only: device ids (EUI-64 as 64 bits) sorted in unsigned order, and per
 * device the index of its model in a small table of the distinct DMCs (a national inventory has hundreds). So a
 * device costs 10 bytes (a long and a short), and a look-up is a binary search that allocates nothing.
 */
public final class DeviceTable {
  /** Device ids, ascending as unsigned 64-bit values. */
  private final long[] ids;
  /** Per device, the index of its model in {@link #models}, as an unsigned short. */
  private final short[] modelIndex;
  private final Dmc[] models;

  public static final DeviceTable EMPTY = new DeviceTable(new long[0], new short[0], new Dmc[0]);

  /** Most models a table can index: a short per device. */
  public static final int MAX_MODELS = 1 << 16;

  DeviceTable(long[] ids, short[] modelIndex, Dmc[] models) {
    if (ids.length != modelIndex.length) throw new IllegalArgumentException("one model per device");
    this.ids = ids;
    this.modelIndex = modelIndex;
    this.models = models;
  }

  /** The model of a device, or null when the inventory does not list it. */
  public Dmc of(long deviceId) {
    int low = 0;
    int high = ids.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = Long.compareUnsigned(ids[mid], deviceId);
      if (c < 0) low = mid + 1;
      else if (c > 0) high = mid - 1;
      else return models[modelIndex[mid] & 0xFFFF];
    }
    return null;
  }

  public int devices() {
    return ids.length;
  }

  public int models() {
    return models.length;
  }

  long id(int i) {
    return ids[i];
  }

  int modelIndex(int i) {
    return modelIndex[i] & 0xFFFF;
  }

  Dmc model(int k) {
    return models[k];
  }

  /**
   * The heap this table holds, counted from its own arrays (array headers, the ids, the indexes, the models' records
   * and strings): what the inventory costs a member, shown in the status and checked by the tests.
   */
  public long bytes() {
    long total = ARRAY_HEADER * 3 + 8L * ids.length + 2L * modelIndex.length + (long) REFERENCE * models.length;
    for (Dmc d : models) {
      total += OBJECT_HEADER + 3L * REFERENCE + string(d.manufacturer()) + string(d.model()) + string(d.firmware());
    }
    return total;
  }

  private static final int ARRAY_HEADER = 16;
  private static final int OBJECT_HEADER = 12;
  private static final int REFERENCE = 4;
  /** A String's object (header, hash, coder, reference) and its byte array's header. */
  private static final int STRING_OVERHEAD = 24 + ARRAY_HEADER;

  /** Latin-1 strings take a byte a character (compact strings), others two. */
  private static long string(String s) {
    boolean latin1 = s.chars().allMatch(c -> c < 256);
    return STRING_OVERHEAD + (long) s.length() * (latin1 ? 1 : 2);
  }

  @Override
  public String toString() {
    return devices() + " devices of " + models() + " models (" + Arrays.stream(models).limit(3).toList() + "...)";
  }
}
