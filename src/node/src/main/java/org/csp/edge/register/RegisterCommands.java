package org.csp.edge.register;

import static org.csp.edge.text.UnsafeCharacters.shown;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code csp-edge-node register list|annotate}: the register of storm-causing device models of a running node (any
 * member answers for the region), and an admin's annotation of an entry, through {@link ApiClient}.
 */
@Command(name = "register", description = "The register of storm-causing device models: list it, annotate an entry.",
    subcommands = {RegisterCommands.ListEntries.class, RegisterCommands.Annotate.class})
public final class RegisterCommands extends CommandLines.StreamsGroup {
  private static final int OK = 200;
  private static final int CREATED = 201;
  @Mixin
  CommandLines.Help help;

  public RegisterCommands(Map<String, String> env, PrintStream out, PrintStream err) {
    super(env, out, err);
  }

  @Command(name = "list", description = "The entries: confirmed first, then suspected, each with its evidence.")
  static final class ListEntries implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Option(names = "--alert-code", paramLabel = "CODE", description = "Only this alert code.")
    String alertCode;
    @Option(names = "--status", paramLabel = "none|suspected|confirmed", description = "Only entries of this status.")
    String status;
    @Option(names = "--all", description = "Entries of status none too (default: only suspected and confirmed, unless --status).")
    boolean all;
    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (the node's default 1000, at most 10000).")
    Integer limit;
    @Option(names = "--json", description = "The API's JSON as it is.")
    boolean json;
    @ParentCommand
    RegisterCommands parent;

    @Override
    public Integer call() {
      StringBuilder q = new StringBuilder();
      if (alertCode != null) q.append("&alertCode=").append(URLEncoder.encode(alertCode, StandardCharsets.UTF_8));
      // Filtered by the node: the entries of status none are as many as the models devices sent.
      String statuses = status != null ? status : all ? null : "suspected,confirmed";
      if (statuses != null) q.append("&status=").append(URLEncoder.encode(statuses, StandardCharsets.UTF_8));
      if (limit != null) q.append("&limit=").append(limit);
      String path = RegisterRoutes.PATH + (q.length() == 0 ? "" : "?" + q.substring(1));
      ApiClient.Answer r = new ApiClient(api, parent.env).exchange("GET", path, null);
      if (r.status() != OK) return parent.failed("GET", path, r);
      if (json) {
        parent.out.println(r.body());
        return CommandLines.OK;
      }
      JsonObject register = new JsonObject(r.body());
      JsonObject method = register.getJsonObject("method");
      JsonObject window = register.getJsonObject("window");
      parent.out.println("window " + window.getString("from") + " .. " + window.getString("to") + "; " + method.getString("test")
          + "; Benjamini-Hochberg FDR " + method.getJsonObject("falseDiscoveryRate").getValue("suspected") + " suspected, "
          + method.getJsonObject("falseDiscoveryRate").getValue("confirmed") + " confirmed; ratio bound >= "
          + method.getValue("minRateRatio") + "; at least " + method.getValue("minDevices") + " devices");
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("status", "dmc", "alertCode", "devicesSeen", "devicesStormed", "alerts", "perDeviceDay", "ratio",
          "lowerBound", "adjustedP", "annotations"));
      for (Object o : register.getJsonArray("entries")) {
        JsonObject e = (JsonObject) o;
        JsonObject ev = e.getJsonObject("evidence");
        Object dmc = e.getValue("dmc");
        rows.add(List.of(e.getString("status"), dmc instanceof JsonObject d
            ? d.getString("manufacturer") + "/" + d.getString("model") + "/" + d.getString("firmware") : String.valueOf(dmc),
            e.getString("alertCode"), String.valueOf(e.getLong("devicesSeen")), String.valueOf(e.getLong("devicesStormed")),
            String.valueOf(e.getLong("alerts")), number(e.getDouble("alertsPerDeviceDay")), number(ev.getDouble("rateRatio")),
            number(ev.getDouble("rateRatioLowerBound")), number(ev.getDouble("adjustedPValue")),
            String.valueOf(e.getJsonArray("annotations", new JsonArray()).size())));
      }
      CommandLines.printTable(parent.out, rows, "(no entries)");
      if (register.getBoolean("truncated", false)) {
        parent.out.println("(" + (rows.size() - 1) + " of " + register.getInteger("total") + " entries: --limit, --status or"
            + " --alert-code for the others)");
      }
      for (Object o : register.getJsonArray("entries")) {
        JsonObject e = (JsonObject) o;
        for (Object n : e.getJsonArray("annotations", new JsonArray())) {
          JsonObject a = (JsonObject) n;
          Object dmc = e.getValue("dmc");
          parent.out.println(shown((dmc instanceof JsonObject d ? d.getString("model") : String.valueOf(dmc)) + " "
              + e.getString("alertCode") + ": " + a.getString("at") + " " + a.getString("by") + ": " + a.getString("text")));
        }
      }
      return CommandLines.OK;
    }
  }

  @Command(name = "annotate", description = "Adds an annotation to an entry (admin): who and when are recorded; figures are never edited.")
  static final class Annotate implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Option(names = "--manufacturer", required = true, paramLabel = "NAME", description = "The DMC's manufacturer.")
    String manufacturer;
    @Option(names = "--model", required = true, paramLabel = "NAME", description = "The DMC's model.")
    String model;
    @Option(names = "--firmware", required = true, paramLabel = "VERSION", description = "The DMC's firmware.")
    String firmware;
    @Option(names = "--alert-code", required = true, paramLabel = "CODE", description = "The entry's alert code.")
    String alertCode;
    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "What to record (a ticket, a finding).")
    String text;
    @ParentCommand
    RegisterCommands parent;

    @Override
    public Integer call() {
      JsonObject body = new JsonObject().put("dmc", new JsonObject().put("manufacturer", manufacturer).put("model", model)
          .put("firmware", firmware)).put("alertCode", alertCode).put("text", text);
      ApiClient.Answer r = new ApiClient(api, parent.env).exchange("POST", RegisterRoutes.ANNOTATIONS, body);
      if (r.status() != CREATED) return parent.failed("POST", RegisterRoutes.ANNOTATIONS, r);
      JsonObject a = new JsonObject(r.body());
      parent.out.println("annotated " + manufacturer + "/" + model + "/" + firmware + " " + alertCode.toUpperCase(Locale.ROOT)
          + " at " + a.getString("at") + " by " + a.getString("by"));
      return CommandLines.OK;
    }
  }

  private int failed(String method, String path, ApiClient.Answer r) {
    err.println(ApiClient.explain(method, path, r));
    return r.status() == 400 ? CommandLines.USAGE : CommandLines.FAILED;
  }

  private static String number(Double v) {
    if (v == null) return "";
    if (v != 0 && Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.2e", v);
    return String.format(Locale.ROOT, "%.3f", v);
  }

}
