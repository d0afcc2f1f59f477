package org.csp.edge.policy;

import static org.csp.edge.text.UnsafeCharacters.shown;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code csp-edge-node policy get|set FILE|history|rollback N|preview FILE}: the policy at run time through a node's HTTP API
 * ({@link PolicyApi}), from any machine that reaches it. Each takes {@code --url}, {@code --token} and
 * {@code --ca-file} ({@link ApiClient}).
 */
@Command(name = "policy", description = "The policy in force on a running cluster: show it, replace it, its history, roll"
    + " back, preview a change.",
    subcommands = {PolicyCommands.Get.class, PolicyCommands.Set.class, PolicyCommands.History.class,
        PolicyCommands.Rollback.class, PolicyCommands.Preview.class})
public final class PolicyCommands extends CommandLines.Group {
  /** What the answer of GET /v1/policy says about the version, beside the policy's settings. */
  private static final java.util.Set<String> VERSION_FIELDS =
      java.util.Set.of("version", "changedAt", "changedBy", "comment", "origin", "origins", "fileDiffers");

  @Mixin
  CommandLines.Help help;
  private final Map<String, String> env;
  private final PrintStream out;

  private PolicyCommands(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  public static PolicyCommands commandLine(Map<String, String> env, PrintStream out) {
    return new PolicyCommands(env, out);
  }

  /** {@code get|set|history|rollback|preview [options]} on these streams; the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return CommandLines.execute(new PolicyCommands(env, out), args, out, err);
  }

  @Command(name = "get", description = {"Print the policy in force (JSON): its settings, version, who changed it,",
      "and where each rule comes from (file or api). --document prints the settings alone, for policy set."})
  static final class Get implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Option(names = "--document", description = "Only the policy document (the settings), as policy set takes it.")
    boolean document;
    @ParentCommand
    PolicyCommands parent;

    @Override
    public Integer call() {
      JsonObject answer = new ApiClient(api, parent.env).get(PolicyApi.PATH);
      if (document) VERSION_FIELDS.forEach(answer::remove);
      parent.out.println(answer.encodePrettily());
      return CommandLines.OK;
    }
  }

  @Command(name = "set", description = {"Replace the policy with FILE: a policy section (YAML or JSON, as under policy: in",
      "the configuration), or a configuration file whose policy section is taken. Needs an admin token.",
      "Settings absent from FILE take their defaults. Prints the new version and what it changed."})
  static final class Set implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Parameters(paramLabel = "FILE", description = "The policy document.")
    Path file;
    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why: kept in the history and the audit log.")
    String comment = "";
    @ParentCommand
    PolicyCommands parent;

    @Override
    public Integer call() throws IOException {
      JsonObject document = read(file);
      JsonObject made = new ApiClient(api, parent.env).put(PolicyApi.PATH,
          new JsonObject().put("policy", document).put("comment", comment));
      parent.printMade(made);
      return CommandLines.OK;
    }
  }

  @Command(name = "history", description = "List every version: who, when, why, and what it changed.")
  static final class History implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Option(names = "--json", description = "Print the API's answer as it is.")
    boolean json;
    @ParentCommand
    PolicyCommands parent;

    @Override
    public Integer call() {
      JsonObject answer = new ApiClient(api, parent.env).get(PolicyApi.PATH + "/history");
      if (json) {
        parent.out.println(answer.encodePrettily());
        return CommandLines.OK;
      }
      JsonArray versions = answer.getJsonArray("versions");
      for (int i = 0; i < versions.size(); i++) parent.printMade(versions.getJsonObject(i));
      return CommandLines.OK;
    }
  }

  @Command(name = "rollback", description = "Restore version N: a new version whose policy is N's. Needs an admin token.")
  static final class Rollback implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Parameters(paramLabel = "N", description = "The version to restore (policy history lists them).")
    int version;
    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why: kept in the history and the audit log.")
    String comment = "";
    @ParentCommand
    PolicyCommands parent;

    @Override
    public Integer call() {
      JsonObject made = new ApiClient(api, parent.env).post(PolicyApi.PATH + "/rollback",
          new JsonObject().put("version", version).put("comment", comment));
      parent.printMade(made);
      return CommandLines.OK;
    }
  }

  @Command(name = "preview", description = {"What the policy in FILE (as policy set takes it) would have done with the",
      "node's recent traffic, beside the policy in force; nothing is applied. Needs an admin token."})
  static final class Preview implements Callable<Integer> {
    /** The path of the preview under /v1/policy (org.csp.edge.preview.PreviewApi). */
    private static final String PATH = PolicyApi.PATH + "/preview";
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Parameters(paramLabel = "FILE", description = "The proposed policy document.")
    Path file;
    @Option(names = "--json", description = "Print the API's answer as it is.")
    boolean json;
    @ParentCommand
    PolicyCommands parent;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = new ApiClient(api, parent.env).post(PATH, new JsonObject().put("policy", read(file)));
      if (json) {
        parent.out.println(answer.encodePrettily());
        return CommandLines.OK;
      }
      JsonObject window = answer.getJsonObject("window");
      parent.out.printf(java.util.Locale.ROOT, "%d alerts replayed of %d seen (sampled %.3f), %s to %s%n",
          answer.getLong("alertsReplayed"), answer.getLong("alertsSeen"), answer.getDouble("sampled"),
          window.getString("from"), window.getString("to"));
      parent.out.printf(java.util.Locale.ROOT, "%-32s %12s %12s%n", "", "current", "proposed");
      JsonObject current = answer.getJsonObject("current");
      JsonObject proposed = answer.getJsonObject("proposed");
      for (String part : new String[] {"verdicts", "events", "storms", "regionalBursts"}) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(current.getJsonObject(part).fieldNames());
        keys.addAll(proposed.getJsonObject(part).fieldNames());
        for (String k : keys) {
          parent.out.printf(java.util.Locale.ROOT, "%-32s %12d %12d%n", part + " " + k,
              current.getJsonObject(part).getLong(k, 0L), proposed.getJsonObject(part).getLong(k, 0L));
        }
      }
      parent.out.println(answer.getString("approximation"));
      return CommandLines.OK;
    }
  }

  /** {@code version 3  2026-12-05T15:50:00Z  ops  "comment"}, then a line per change. */
  private void printMade(JsonObject v) {
    String comment = v.getString("comment", "");
    out.println("version " + v.getInteger("version") + "  " + v.getString("changedAt") + "  " + shown(v.getString("changedBy"))
        + (comment.isEmpty() ? "" : "  \"" + shown(comment) + "\""));
    JsonArray diff = v.getJsonArray("diff", new JsonArray());
    for (int i = 0; i < diff.size(); i++) {
      JsonObject c = diff.getJsonObject(i);
      out.println(shown("  " + c.getString("path") + ": " + c.getValue("from") + " -> " + c.getValue("to")));
    }
  }

  /** A policy section, or the policy section of a whole configuration file. */
  static JsonObject read(Path file) throws IOException {
    Object tree;
    try {
      tree = ConfigLoader.YAML.readValue(Files.readAllBytes(file), Object.class);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new IllegalArgumentException(file + " is not YAML or JSON" + where + ": "
          + String.join("; ", e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList()));
    }
    if (!(tree instanceof Map<?, ?> map)) throw new IllegalArgumentException(file + " is not a policy document (a map of settings)");
    @SuppressWarnings("unchecked")
    JsonObject json = new JsonObject((Map<String, Object>) map);
    Object section = json.getValue("policy");
    return section instanceof JsonObject policy ? policy : json;
  }
}
