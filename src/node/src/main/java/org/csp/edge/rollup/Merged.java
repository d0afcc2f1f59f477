package org.csp.edge.rollup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ItemsSketch;
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

  /** Merges a batch's rows and tops as they are (code, DMC, outcome). */
  static void addBatch(Merged<CellKey> m, List<RollupRow> rows, List<TopRow> tops) {
    for (RollupRow r : rows) m.add(new CellKey(0, r.alertCode(), r.dmc(), r.outcome()), r.tally());
    for (TopRow t : tops) m.addTop(t.alertCode() + "|" + t.of(), t.sketch());
  }
}
