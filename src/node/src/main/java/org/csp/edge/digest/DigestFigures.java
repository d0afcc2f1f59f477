package org.csp.edge.digest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.csp.edge.alert.Dmc;
import org.csp.edge.history.RollupStore;
import org.csp.edge.recipient.Recipient;
import org.csp.edge.recipient.Recipients;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Merged;
import org.csp.edge.rollup.Outcomes;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.Sketches;

/**
 * A digest's fields, from the store's hourly rollups of the period (every member boot's, added up) and the storms
 * counted cluster-wide: counts by code and outcome of the recipient's codes, storms started and ended, the top hubs
 * (frequent items: each with its bounds) and device models (exact), and what silences and inhibitions held.
 * Inputs refused before their code could be read (code {@code unknown}) belong to no recipient.
 */
final class DigestFigures {
  static final String SILENCED = "silenced";
  static final String INHIBITED = "inhibited";

  private DigestFigures() {}

  static JsonObject of(RollupStore store, Sketches sketches, Recipients recipients, Recipient recipient,
      DigestPeriod period, int top, Map<String, long[]> storms) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    Merged<Model> models = new Merged<>(sketches);
    long[] total = {0};
    store.cells(Period.HOUR, period.start(), period.end(), c -> {
      String code = c.row().alertCode();
      if (!ours(recipients, recipient, code) || Outcomes.isMark(c.row().outcome())) return;
      long n = c.row().tally().count();
      counts.computeIfAbsent(code, k -> new TreeMap<>()).merge(c.row().outcome(), n, Long::sum);
      models.add(new Model(c.row().dmc()), c.row().tally());
      total[0] += n;
    });
    Merged<String> hubs = new Merged<>(sketches);
    store.tops(Period.HOUR, period.start(), period.end(), null, t -> {
      if (t.of().equals("hubs") && ours(recipients, recipient, t.alertCode())) hubs.addTop("hubs", t.sketch());
    });

    JsonObject byCode = new JsonObject();
    JsonArray silenced = new JsonArray();
    JsonArray inhibited = new JsonArray();
    counts.forEach((code, outcomes) -> {
      JsonObject o = new JsonObject();
      outcomes.forEach(o::put);
      byCode.put(code, o);
      if (outcomes.containsKey(SILENCED)) silenced.add(new JsonObject().put("alertCode", code).put("held", outcomes.get(SILENCED)));
      if (outcomes.containsKey(INHIBITED)) inhibited.add(new JsonObject().put("alertCode", code).put("held", outcomes.get(INHIBITED)));
    });
    JsonObject out = new JsonObject()
        .put("periodStart", Instant.ofEpochMilli(period.start()).toString())
        .put("periodEnd", Instant.ofEpochMilli(period.end()).toString())
        .put("alerts", total[0])
        .put("byCode", byCode);
    storms(recipients, recipient, storms, out);
    return out.put("topHubs", topHubs(hubs.top("hubs"), top))
        .put("topDeviceModels", topModels(models, top))
        .put("silences", silenced)
        .put("inhibitions", inhibited);
  }

  private static boolean ours(Recipients recipients, Recipient recipient, String code) {
    return !AlertRollups.UNKNOWN.equals(code) && recipients.of(code).equals(recipient);
  }

  /** {@code stormsStarted}, {@code stormsEnded} and, per code, {@code stormsByCode}. */
  private static void storms(Recipients recipients, Recipient recipient, Map<String, long[]> storms, JsonObject out) {
    long started = 0;
    long ended = 0;
    JsonObject byCode = new JsonObject();
    for (Map.Entry<String, long[]> e : new TreeMap<>(storms).entrySet()) {
      if (!ours(recipients, recipient, e.getKey())) continue;
      started += e.getValue()[0];
      ended += e.getValue()[1];
      byCode.put(e.getKey(), new JsonObject().put("started", e.getValue()[0]).put("ended", e.getValue()[1]));
    }
    out.put("stormsStarted", started).put("stormsEnded", ended).put("stormsByCode", byCode);
  }

  private static JsonArray topHubs(ItemsSketch<String> sketch, int top) {
    JsonArray out = new JsonArray();
    if (sketch == null) return out;
    ItemsSketch.Row<String>[] rows = sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
    for (int i = 0; i < rows.length && i < top; i++) {
      out.add(new JsonObject().put("hubId", rows[i].getItem()).put("count", rows[i].getEstimate())
          .put("lowerBound", rows[i].getLowerBound()).put("upperBound", rows[i].getUpperBound()));
    }
    return out;
  }

  /** A device model; null: unknown. */
  private record Model(Dmc dmc) {}

  private static JsonArray topModels(Merged<Model> models, int top) {
    List<Map.Entry<Model, Merged<Model>.Acc>> entries = new ArrayList<>(models.cells().entrySet());
    entries.sort(Comparator.comparingLong((Map.Entry<Model, Merged<Model>.Acc> e) -> -e.getValue().count()));
    JsonArray out = new JsonArray();
    for (int i = 0; i < entries.size() && i < top; i++) {
      Dmc dmc = entries.get(i).getKey().dmc();
      Merged<Model>.Acc acc = entries.get(i).getValue();
      out.add(new JsonObject().put("dmc", dmc == null ? AlertRollups.UNKNOWN : dmc.toJson()).put("count", acc.count())
          .put("hubs", acc.hubs()).put("devices", acc.devices()));
    }
    return out;
  }
}
