package org.csp.edge.report;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.csp.edge.history.RollupFlusher;
import org.csp.edge.ops.Problems;
import org.csp.edge.rollup.Outcomes;
import org.csp.edge.rollup.Period;
import org.csp.edge.rollup.Sketches;

/**
 * {@code GET /v1/reports/alerts} and {@code GET /v1/reports/top}: read on the store's worker (never on the event
 * loop), from the region's stored rollups, so any member answers for all (as fresh as the last flush).
 */
public final class ReportRoutes {
  private static final String ALERT_CODE = "[0-9A-Fa-f]{4}|unknown";
  /** A range without {@code from} covers this much before {@code to}. */
  private static final Duration DEFAULT_RANGE = Duration.ofDays(1);
  private static final int DEFAULT_LIMIT = 10;
  private static final int MAX_LIMIT = 10_000;
  /**
   * Rows an answer of /v1/reports/alerts may hold: it is built whole in memory, and distinct device models are as
   * many as devices send; past this the caller narrows the range or the dimensions (422), the node stays up.
   */
  static final int MAX_ROWS = 10_000;

  private final RollupFlusher flusher;
  private final Sketches sketches;
  private final LongSupplier clock;
  private final Duration hourlyRetention;

  public ReportRoutes(RollupFlusher flusher, Sketches sketches, LongSupplier clock, Duration hourlyRetention) {
    this.flusher = flusher;
    this.sketches = sketches;
    this.clock = clock;
    this.hourlyRetention = hourlyRetention;
  }

  /** The routes when the rollups are off: a problem that says so. */
  public static void mountOff(Router router) {
    router.get("/v1/reports/alerts").handler(ReportRoutes::off);
    router.get("/v1/reports/top").handler(ReportRoutes::off);
  }

  private static void off(RoutingContext rc) {
    Problems.answer(rc.response(), 503, "the rollups are off on this node (rollups.enabled: false)", null);
  }

  public void mount(Router router) {
    router.get("/v1/reports/alerts").handler(this::alerts);
    router.get("/v1/reports/top").handler(this::top);
  }

  private void alerts(RoutingContext rc) {
    ReportQuery q = new ReportQuery(params(rc));
    long to = q.instant("to", clock.getAsLong());
    long from = q.instant("from", to - DEFAULT_RANGE.toMillis());
    Period step = q.step();
    Set<String> by = q.by();
    String code = upper(q.text("alertCode", ALERT_CODE, "4 hex digits such as 8F3E, or unknown"));
    String outcome = q.choice("outcome", null, Outcomes.all());
    if (from >= to) q.error("from", "must be before to");
    if (!q.errors().isEmpty()) {
      invalid(rc, q);
      return;
    }
    boolean csv = wantsCsv(rc);
    answer(rc, flusher.withStore(store -> {
      List<AlertReport.Row> rows = AlertReport.rows(store, sketches, step, from, to, by, code, outcome, MAX_ROWS);
      return csv ? AlertReport.csv(rows, by) : AlertReport.json(rows, by).encode();
    }), csv);
  }

  private void top(RoutingContext rc) {
    ReportQuery q = new ReportQuery(params(rc));
    long to = q.instant("to", clock.getAsLong());
    long from = q.instant("from", to - DEFAULT_RANGE.toMillis());
    String of = q.choice("of", "hubs", List.of("hubs", "devices", "dmcs"));
    String code = upper(q.text("alertCode", ALERT_CODE, "4 hex digits such as 8F3E, or unknown"));
    int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    if (from >= to) q.error("from", "must be before to");
    if (!q.errors().isEmpty()) {
      invalid(rc, q);
      return;
    }
    // Hours while they are kept (finer bounds), days beyond.
    Period period = from >= clock.getAsLong() - hourlyRetention.toMillis() ? Period.HOUR : Period.DAY;
    answer(rc, flusher.withStore(store -> (of.equals("dmcs")
        ? TopReport.dmcs(store, sketches, period, from, to, code, limit, MAX_ROWS)
        : TopReport.hubsOrDevices(store, sketches, period, from, to, of, code, limit))
        .put("from", java.time.Instant.ofEpochMilli(period.startOf(from)).toString())
        .put("to", java.time.Instant.ofEpochMilli(to).toString()).encode()), false);
  }

  private static String upper(String code) {
    return code == null || code.equals("unknown") ? code : code.toUpperCase(java.util.Locale.ROOT);
  }

  private static void invalid(RoutingContext rc, ReportQuery q) {
    Problems.answer(rc.response(), 400, "the report's parameters are not valid", new JsonObject().put("errors", q.errors()));
  }

  private static boolean wantsCsv(RoutingContext rc) {
    String accept = rc.request().getHeader("Accept");
    return accept != null && accept.contains("text/csv");
  }

  private static void answer(RoutingContext rc, Future<String> body, boolean csv) {
    body.onComplete(ar -> {
      if (rc.response().ended() || rc.response().closed()) return;
      if (ar.failed() && ar.cause() instanceof AlertReport.TooManyRows many) {
        boolean top = rc.request().path().endsWith("/top");
        String detail = "the answer would hold " + many.getMessage() + ", more than one answer holds: narrow from and to,"
            + (top ? " or filter by alertCode" : " ask by fewer dimensions, or filter by alertCode or outcome");
        Problems.answer(rc.response(), 422, detail, new JsonObject().put("errors", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("parameter", top ? "from" : "by").put("detail", detail))));
      } else if (ar.failed()) {
        Problems.answer(rc.response(), 503, "the rollup store cannot answer now: " + ar.cause().getMessage(), null);
      } else {
        rc.response().setStatusCode(200).putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json")
            .end(ar.result());
      }
    });
  }

  private static Map<String, List<String>> params(RoutingContext rc) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    rc.queryParams().forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }
}
