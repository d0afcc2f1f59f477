package org.csp.edge.rollup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Rows merged under a key of one's choice: counts added, distinct hubs and devices by sketch union (a hub seen by
 * two members or in two hours counts once), top offenders by frequent-items merge. Used to fold hours into days
 * and by the reports to merge sources, periods and the dimensions not asked for.
 */
public final class Merged<K> {
  private final Sketches sketches;
  private final Map<K, Acc> cells = new LinkedHashMap<>();
  private final Map<String, ItemsSketch<String>> tops = new LinkedHashMap<>();

  /** One merged cell: the sum of counts and the unions of distinct hubs and devices. */
  public final class Acc {
    private long count;
    private final Union hubs = sketches.newUnion();
    private final Union devices = sketches.newUnion();

    public long count() {
      return count;
    }

    public long hubs() {
      return Math.round(hubs.getEstimate());
    }

    public long devices() {
      return Math.round(devices.getEstimate());
    }

    /** The union's bounds at {@code sigmas} standard deviations (1, 2 or 3), for hubs. */
    public double[] hubBounds(int sigmas) {
      return new double[] {hubs.getLowerBound(sigmas), hubs.getUpperBound(sigmas)};
    }

    Tally tally() {
      return new Tally(count, Sketches.bytes(hubs.getResult()), Sketches.bytes(devices.getResult()));
    }

    /** Adds a live cell's figures as they are: no serialized form in between (the flush's path). */
    void add(long n, HllSketch hubSketch, HllSketch deviceSketch) {
      count += n;
      hubs.update(hubSketch);
      devices.update(deviceSketch);
    }

    /** Adds another merged cell (its unions read in their own 8-bit form: no conversion). */
    void add(Acc other) {
      count += other.count;
      hubs.update(other.hubs.getResult(TgtHllType.HLL_8));
      devices.update(other.devices.getResult(TgtHllType.HLL_8));
    }
  }

  public Merged(Sketches sketches) {
    this.sketches = sketches;
  }

  public void add(K key, Tally t) {
    Acc acc = cells.computeIfAbsent(key, k -> new Acc());
    acc.count += t.count();
    Sketches.unionInto(acc.hubs, t.hubs());
    Sketches.unionInto(acc.devices, t.devices());
  }

  /** The merged cell under {@code key}, made empty if it is new. */
  Acc acc(K key) {
    return cells.computeIfAbsent(key, k -> new Acc());
  }

  /** Frequent items under a key such as "8F3E|hubs", merged from a live sketch as it is. */
  void addTop(String key, ItemsSketch<String> sketch) {
    if (!sketch.isEmpty()) tops.computeIfAbsent(key, k -> sketches.newTop()).merge(sketch);
  }

  /**
   * Adds everything another merge holds: what the flush does to build a day from its hours without serializing
   * and reading back every sketch (the flush's cost is in those conversions).
   */
  void addAll(Merged<K> other) {
    other.cells.forEach((k, acc) -> acc(k).add(acc));
    other.tops.forEach(this::addTop);
  }

  /** Frequent items under a key such as "8F3E|hubs". */
  public void addTop(String key, byte[] sketch) {
    Sketches.mergeInto(tops.computeIfAbsent(key, k -> sketches.newTop()), sketch);
  }

  public Map<K, Acc> cells() {
    return cells;
  }

  public ItemsSketch<String> top(String key) {
    return tops.get(key);
  }

  public Map<String, ItemsSketch<String>> tops() {
    return tops;
  }

  /** Cells keyed by code, DMC and outcome turned back into rows, and the tops into top rows ("CODE|of" keys). */
  static List<RollupRow> rowsOf(Merged<CellKey> m) {
    List<RollupRow> out = new ArrayList<>(m.cells.size());
    m.cells.forEach((k, acc) -> out.add(new RollupRow(k.alertCode(), k.dmc(), k.outcome(), acc.tally())));
    return out;
  }

  static List<TopRow> topRowsOf(Merged<CellKey> m) {
    List<TopRow> out = new ArrayList<>(m.tops.size());
    m.tops.forEach((k, sketch) -> {
      int bar = k.indexOf('|');
      out.add(new TopRow(k.substring(0, bar), k.substring(bar + 1), Sketches.bytes(sketch)));
    });
    return out;
  }
}
