package org.csp.edge.register;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.Verdict;
import org.csp.edge.history.RollupStore;
import org.csp.edge.rollup.Merged;
import org.csp.edge.rollup.Outcomes;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.Sketches;

/**
 * The figures of a window from the stored hourly rollups of every member boot: devices seen per DMC (the union of
 * its device sketches over every code and outcome), devices stormed per DMC and code (the union of the sketches of
 * the devices whose own alerts of the code reached its storm threshold in their hub's storm: a device of a storming
 * hub that sent one alert did not storm), alerts per
 * DMC and code. Refused alerts count nowhere: they were never decided, and may not be what they claim.
 */
final class WindowFigures {
  private static final String STORMED = Outcomes.STORMING_DEVICES;
  private static final String GROUPED = Outcomes.of(Verdict.GROUPED);
  private static final String CONSOLIDATED = Outcomes.of(Verdict.CONSOLIDATED);

  /** A DMC as a key: unknown is its own. */
  private record Model(Dmc dmc) {}

  private record Pair(Model model, String alertCode) {}

  /** One hour of one code, across models. */
  private record HourCode(long hour, String alertCode) {}

  /** The storming devices of one model and code in one hour, as stored. */
  private record Mark(HourCode hour, Pair pair, org.csp.edge.rollup.Tally tally) {}

  /** Heap allowed per model and code of the window: its key, its sketches' unions and the model's. */
  private static final long HEAP_PER_PAIR = 8 * 1024;
  private static final int MOST_PAIRS = 200_000;
  /**
   * The window is merged whole in memory and the models are whatever devices send: past this many model and code
   * pairs the recompute is refused (and retried at the next), rather than take the node's heap.
   */
  static final int MAX_PAIRS = (int) Math.max(1, Math.min(MOST_PAIRS, Runtime.getRuntime().maxMemory() / HEAP_PER_PAIR));

  private WindowFigures() {}

  /** Blocking (JDBC): on the store's worker. Hours whose start is in [from, to). */
  static List<Figures> read(RollupStore store, Sketches sketches, long from, long to) {
    return read(store, sketches, from, to, MAX_PAIRS);
  }

  static List<Figures> read(RollupStore store, Sketches sketches, long from, long to, int maxPairs) {
    Merged<Model> seen = new Merged<>(sketches);
    Merged<Pair> all = new Merged<>(sketches);
    Merged<Pair> stormed = new Merged<>(sketches);
    Map<HourCode, long[]> held = new java.util.HashMap<>(); // the code's grouped and consolidated alerts in the hour
    List<Mark> marks = new ArrayList<>();
    store.cells(Period.HOUR, from, to, c -> {
      String outcome = c.row().outcome();
      if (outcome.startsWith(Outcomes.REJECTED_PREFIX)) return;
      Model m = new Model(c.row().dmc());
      Pair p = new Pair(m, c.row().alertCode());
      if (all.cells().size() >= maxPairs && !all.cells().containsKey(p)) {
        throw new IllegalStateException("the register's window holds more than " + maxPairs + " device model and code"
            + " pairs (the heap's share for them): not computed; a shorter register.window, or rollups.maxCells, keeps"
            + " fewer");
      }
      seen.add(m, c.row().tally());
      all.add(p, c.row().tally());
      HourCode hour = new HourCode(c.start(), c.row().alertCode());
      if (outcome.equals(GROUPED)) held.computeIfAbsent(hour, k -> new long[2])[0] += c.row().tally().count();
      if (outcome.equals(CONSOLIDATED)) held.computeIfAbsent(hour, k -> new long[2])[1] += c.row().tally().count();
      if (outcome.equals(STORMED)) marks.add(new Mark(hour, p, c.row().tally()));
    });
    // An hour in which most of the code's held alerts were grouped was a regional burst (a power restoration, a
    // voltage event): the hubs that stormed in it stormed with their region, most of them just before the burst was
    // known, not for a fault of their model. Their devices are not counted as stormed for that hour.
    for (Mark m : marks) {
      long[] h = held.get(m.hour());
      if (h == null || h[0] < h[1]) stormed.add(m.pair(), m.tally());
    }
    List<Figures> out = new ArrayList<>(all.cells().size());
    for (Map.Entry<Pair, Merged<Pair>.Acc> e : all.cells().entrySet()) {
      Pair p = e.getKey();
      Merged<Pair>.Acc storm = stormed.cells().get(p);
      out.add(new Figures(p.model().dmc(), p.alertCode(), seen.cells().get(p.model()).devices(),
          storm == null ? 0 : storm.devices(), e.getValue().count()));
    }
    return out;
  }
}
