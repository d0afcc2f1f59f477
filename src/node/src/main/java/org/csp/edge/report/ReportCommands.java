package org.csp.edge.report;


import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code csp-edge-node report alerts|top}: the reports of a running node (any member answers for the region),
 * printed as a table or written as CSV, through the API client every API command uses ({@link ApiClient}).
 */
@Command(name = "report", description = "The alert reports of a running node: by code, DMC and outcome, or the top offenders.",
    subcommands = {ReportCommands.Alerts.class, ReportCommands.Top.class})
public final class ReportCommands extends CommandLines.StreamsGroup {
  private static final int OK = 200;
  private static final String ALERTS = "/v1/reports/alerts";
  private static final String TOP = "/v1/reports/top";
  @Mixin
  CommandLines.Help help;

  public ReportCommands(Map<String, String> env, PrintStream out, PrintStream err) {
    super(env, out, err);
  }

  /** The period and code a report covers. */
  static final class Range {
    @Option(names = "--from", paramLabel = "INSTANT", description = "Start, ISO-8601 (default: a day before --to).")
    String from;
    @Option(names = "--to", paramLabel = "INSTANT", description = "End, exclusive, ISO-8601 (default: now).")
    String to;
    @Option(names = "--alert-code", paramLabel = "CODE", description = "Only this alert code.")
    String alertCode;
  }

  @Command(name = "alerts", description = "Alerts by period and the dimensions asked for (counts exact, hubs and devices estimated).")
  static final class Alerts implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Mixin
    Range range;
    @Option(names = "--by", paramLabel = "DIMS", defaultValue = "alertCode,dmc,outcome",
        description = "Dimensions, comma-separated: alertCode, dmc, outcome (default: ${DEFAULT-VALUE}).")
    String by;
    @Option(names = "--step", paramLabel = "1h|1d", defaultValue = "1h", description = "Period of a row (default: ${DEFAULT-VALUE}).")
    String step;
    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "Only this outcome (forwarded, rejected:bad_dmc...).")
    String outcome;
    @Option(names = "--csv", paramLabel = "FILE", description = "Write CSV to FILE ('-': standard output) instead of a table.")
    Path csv;
    @ParentCommand
    ReportCommands parent;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Map<String, String> q = parent.query(range);
      q.put("by", by);
      q.put("step", step);
      q.put("outcome", outcome);
      String path = ALERTS + query(q);
      ApiClient.Answer r = new ApiClient(api, parent.env).exchange("GET", path, null, csv != null ? "text/csv" : "application/json");
      if (r.status() != OK) return parent.failed(path, r);
      if (csv != null) return parent.writeCsv(csv, r.body());
      List<String> columns = new ArrayList<>(List.of("from"));
      for (String d : by.split(",")) if (!d.isBlank()) columns.add(d.trim());
      columns.addAll(List.of("count", "hubs", "devices"));
      parent.table(columns, new JsonObject(r.body()).getJsonArray("rows"));
      return CommandLines.OK;
    }
  }

  @Command(name = "top", description = "The top offenders: hubs or devices (with error bounds), or DMCs (exact).")
  static final class Top implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Mixin
    Range range;
    @Option(names = "--of", paramLabel = "hubs|devices|dmcs", defaultValue = "hubs", description = "What to rank (default: ${DEFAULT-VALUE}).")
    String of;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Rows at most (default: ${DEFAULT-VALUE}).")
    int limit;
    @ParentCommand
    ReportCommands parent;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Map<String, String> q = parent.query(range);
      q.put("of", of);
      q.put("limit", String.valueOf(limit));
      String path = TOP + query(q);
      ApiClient.Answer r = new ApiClient(api, parent.env).exchange("GET", path, null);
      if (r.status() != OK) return parent.failed(path, r);
      JsonObject top = new JsonObject(r.body());
      List<String> columns = switch (of) {
        case "dmcs" -> List.of("dmc", "count", "hubs", "devices");
        case "devices" -> List.of("deviceId", "count", "lowerBound", "upperBound");
        default -> List.of("hubId", "count", "lowerBound", "upperBound");
      };
      parent.table(columns, top.getJsonArray("rows"));
      if (top.getBoolean("approximate", false)) {
        parent.out.println("approximate: each count is within its bounds (maximum error " + top.getLong("maximumError") + ")");
      }
      return CommandLines.OK;
    }
  }

  private Map<String, String> query(Range r) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("from", r.from);
    q.put("to", r.to);
    q.put("alertCode", r.alertCode);
    return q;
  }

  /** {@code ?k=v&...} of the values given. */
  private static String query(Map<String, String> values) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getValue() == null) continue;
      q.append(q.length() == 0 ? '?' : '&').append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private int failed(String path, ApiClient.Answer r) {
    err.println(ApiClient.explain("GET", path, r));
    return r.status() == 400 ? CommandLines.USAGE : CommandLines.FAILED;
  }

  private int writeCsv(Path file, String body) throws IOException {
    if (file.toString().equals("-")) out.print(body);
    else Files.writeString(file, body);
    return CommandLines.OK;
  }

  /** A plain table: a header, then the rows, columns padded to their widest cell. */
  private void table(List<String> columns, JsonArray rows) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(columns);
    for (Object o : rows) {
      JsonObject row = (JsonObject) o;
      List<String> line = new ArrayList<>();
      for (String c : columns) {
        Object v = row.getValue(c);
        line.add(v instanceof JsonObject d ? d.getString("manufacturer") + "/" + d.getString("model") + "/" + d.getString("firmware")
            : v == null ? "" : String.valueOf(v));
      }
      cells.add(line);
    }
    CommandLines.printTable(out, cells, "(no rows)");
  }
}
