package org.csp.edge.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.csp.edge.alert.Dmc;
import org.csp.edge.history.RollupStore;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Merged;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.Sketches;

/**
 * The top offenders of a range: hubs or devices from the frequent-items sketches (approximate: each with the
 * bounds that hold its true count, and the sketch's maximum error), DMCs exactly from the counted cells.
 */
final class TopReport {
  private TopReport() {}

  static JsonObject hubsOrDevices(RollupStore store, Sketches sketches, Period period, long from, long to, String of,
      String alertCode, int limit) {
    Merged<String> merged = new Merged<>(sketches);
    store.tops(period, period.startOf(from), to, alertCode, t -> {
      if (t.of().equals(of)) merged.addTop(of, t.sketch());
    });
    ItemsSketch<String> top = merged.top(of);
    JsonArray rows = new JsonArray();
    long maxError = 0;
    if (top != null) {
      maxError = top.getMaximumError();
      ItemsSketch.Row<String>[] items = top.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
      for (int i = 0; i < items.length && i < limit; i++) {
        rows.add(new JsonObject().put(of.equals("hubs") ? "hubId" : "deviceId", items[i].getItem())
            .put("count", items[i].getEstimate()).put("lowerBound", items[i].getLowerBound())
            .put("upperBound", items[i].getUpperBound()));
      }
    }
    return new JsonObject().put("of", of).put("approximate", maxError > 0).put("maximumError", maxError).put("rows", rows);
  }

  /**
   * The device models with most alerts, exactly: every model in the range is merged first, in memory, so a range of
   * more than {@code maxModels} models is refused ({@link AlertReport.TooManyRows}) rather than built.
   */
  static JsonObject dmcs(RollupStore store, Sketches sketches, Period period, long from, long to, String alertCode, int limit,
      int maxModels) {
    record Key(boolean known, Dmc dmc) {}
    Merged<Key> merged = new Merged<>(sketches);
    store.cells(period, period.startOf(from), to, c -> {
      if (alertCode != null && !alertCode.equals(c.row().alertCode())) return;
      Key k = new Key(c.row().dmc() != null, c.row().dmc());
      if (merged.cells().size() >= maxModels && !merged.cells().containsKey(k)) throw new AlertReport.TooManyRows(maxModels);
      merged.add(k, c.row().tally());
    });
    List<Map.Entry<Key, Merged<Key>.Acc>> entries = new ArrayList<>(merged.cells().entrySet());
    entries.sort(Comparator.comparingLong((Map.Entry<Key, Merged<Key>.Acc> e) -> -e.getValue().count()));
    JsonArray rows = new JsonArray();
    for (int i = 0; i < entries.size() && i < limit; i++) {
      Key k = entries.get(i).getKey();
      Merged<Key>.Acc acc = entries.get(i).getValue();
      rows.add(new JsonObject().put("dmc", k.known() ? k.dmc().toJson() : AlertRollups.UNKNOWN).put("count", acc.count())
          .put("hubs", acc.hubs()).put("devices", acc.devices()));
    }
    return new JsonObject().put("of", "dmcs").put("approximate", false).put("maximumError", 0).put("rows", rows);
  }
}
