package org.csp.edge.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.alert.Dmc;
import org.csp.edge.history.RollupStore;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Merged;
import org.csp.edge.rollup.Outcomes;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.Sketches;

/**
 * Alerts by period and the dimensions asked for: the stored cells of every member boot merged, counts added and
 * distinct hubs and devices by sketch union, the dimensions not asked for merged away.
 */
final class AlertReport {
  /** A row's key: the period start and the dimensions asked for (null where not asked for). */
  record Key(long start, String alertCode, Dmc dmc, boolean dmcKnown, String outcome) {}

  /** One row of the answer. */
  record Row(Key key, long count, long hubs, long devices) {}

  /** The answer would hold more rows than one answer may: refused before it is built (it is built whole in memory). */
  static final class TooManyRows extends RuntimeException {
    final int limit;

    TooManyRows(int limit) {
      super("more than " + limit + " rows", null, false, false);
      this.limit = limit;
    }
  }

  private AlertReport() {}

  static List<Row> rows(RollupStore store, Sketches sketches, Period step, long from, long to, Set<String> by,
      String alertCode, String outcome, int maxRows) {
    Merged<Key> merged = new Merged<>(sketches);
    boolean byCode = by.contains("alertCode");
    boolean byDmc = by.contains("dmc");
    boolean byOutcome = by.contains("outcome");
    store.cells(step, step.startOf(from), to, c -> {
      if (alertCode != null && !alertCode.equals(c.row().alertCode())) return;
      if (outcome != null && !outcome.equals(c.row().outcome())) return;
      if (outcome == null && Outcomes.isMark(c.row().outcome())) return; // not alerts: only when asked for by name
      Key k = new Key(c.start(), byCode ? c.row().alertCode() : null, byDmc ? c.row().dmc() : null,
          byDmc && c.row().dmc() != null, byOutcome ? c.row().outcome() : null);
      if (merged.cells().size() >= maxRows && !merged.cells().containsKey(k)) throw new TooManyRows(maxRows);
      merged.add(k, c.row().tally());
    });
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Key, Merged<Key>.Acc> e : merged.cells().entrySet()) {
      rows.add(new Row(e.getKey(), e.getValue().count(), e.getValue().hubs(), e.getValue().devices()));
    }
    rows.sort(Comparator.comparingLong((Row r) -> r.key().start()).thenComparing(r -> -r.count()));
    return rows;
  }

  static JsonObject json(List<Row> rows, Set<String> by) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject().put("from", Instant.ofEpochMilli(r.key().start()).toString());
      if (by.contains("alertCode")) o.put("alertCode", r.key().alertCode());
      if (by.contains("dmc")) o.put("dmc", r.key().dmcKnown() ? r.key().dmc().toJson() : AlertRollups.UNKNOWN);
      if (by.contains("outcome")) o.put("outcome", r.key().outcome());
      out.add(o.put("count", r.count()).put("hubs", r.hubs()).put("devices", r.devices()));
    }
    return new JsonObject().put("rows", out);
  }

  /** CSV (RFC 4180): a header, then a line per row; the DMC in three columns (empty when unknown). */
  static String csv(List<Row> rows, Set<String> by) {
    StringBuilder b = new StringBuilder("from");
    if (by.contains("alertCode")) b.append(",alertCode");
    if (by.contains("dmc")) b.append(",manufacturer,model,firmware");
    if (by.contains("outcome")) b.append(",outcome");
    b.append(",count,hubs,devices\r\n");
    for (Row r : rows) {
      b.append(Instant.ofEpochMilli(r.key().start()));
      if (by.contains("alertCode")) b.append(',').append(field(r.key().alertCode()));
      if (by.contains("dmc")) {
        Dmc d = r.key().dmcKnown() ? r.key().dmc() : null;
        b.append(',').append(field(d == null ? "" : d.manufacturer())).append(',').append(field(d == null ? "" : d.model()))
            .append(',').append(field(d == null ? "" : d.firmware()));
      }
      if (by.contains("outcome")) b.append(',').append(field(r.key().outcome()));
      b.append(',').append(r.count()).append(',').append(r.hubs()).append(',').append(r.devices()).append("\r\n");
    }
    return b.toString();
  }

  static String field(String s) {
    if (s == null) return "";
    // A leading = + - @ would be read as a formula by spreadsheets: quoted and prefixed with a quote mark.
    boolean formula = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0;
    if (!formula && s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
    return "\"" + (formula ? "'" : "") + s.replace("\"", "\"\"") + "\"";
  }
}
