package org.csp.edge.silence;

import static org.csp.edge.text.UnsafeCharacters.shown;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code csp-edge-node silence add|list|expire}, over a node's HTTP API ({@code /v1/silences}), in the manner of
 * Alertmanager's {@code amtool silence}. Exit codes: 0 done; 1 the node refused or could not be reached; 2 usage,
 * or a silence the node found bad (each bad field named).
 */
@Command(name = "silence", description = "Silences on a running node: add one, list them, expire one.",
    subcommands = {SilenceCommands.Add.class, SilenceCommands.ListSilences.class, SilenceCommands.Expire.class})
public final class SilenceCommands extends CommandLines.StreamsGroup {
  /** The silences' path of the HTTP API (ops.SilenceRoutes). */
  private static final String PATH = "/v1/silences";

  @Mixin
  CommandLines.Help help;

  private SilenceCommands(Map<String, String> env, PrintStream out, PrintStream err) {
    super(env, out, err);
  }

  public static SilenceCommands commandLine(Map<String, String> env, PrintStream out, PrintStream err) {
    return new SilenceCommands(env, out, err);
  }

  /** {@code add|list|expire [options]} on these streams; the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return CommandLines.execute(new SilenceCommands(env, out, err), args, out, err);
  }

  /** A refused request: 400 (a bad silence) is the caller's input, so a usage error; anything else a failure. */
  private int refused(String method, String path, ApiClient.Answer a) {
    err.println(ApiClient.explain(method, path, a));
    return a.status() == 400 ? CommandLines.USAGE : CommandLines.FAILED;
  }

  private static boolean ok(ApiClient.Answer a) {
    return a.status() / 100 == 2;
  }

  @Command(name = "add", description = {"Add a silence: alerts it matches are held into summaries (reason silenced)",
      "instead of forwarded singly; codes in forward mode never are. Prints its id."})
  static final class Add implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @Spec
    CommandSpec spec;
    @ParentCommand
    SilenceCommands parent;
    @Parameters(paramLabel = "MATCHER", arity = "1..*",
        description = "name=pattern, name one of alertCode, hubId, deviceId, dmc.manufacturer, dmc.model, dmc.firmware;"
            + " * in a pattern stands for any run of characters.")
    List<String> matchers;
    @Option(names = "--duration", paramLabel = "DURATION", description = "How long from its start (e.g. 2h); or --ends-at.")
    String duration;
    @Option(names = "--ends-at", paramLabel = "INSTANT", description = "When it ends (ISO-8601, e.g. 2026-12-05T18:00:00Z).")
    String endsAt;
    @Option(names = "--starts-at", paramLabel = "INSTANT", description = "When it starts (default: now).")
    String startsAt;
    @Option(names = "--comment", paramLabel = "TEXT", description = "Why: the incident, the ticket.")
    String comment;

    @Override
    public Integer call() throws Exception {
      JsonObject m = new JsonObject();
      for (String matcher : matchers) {
        int eq = matcher.indexOf('=');
        if (eq <= 0) throw new ParameterException(spec.commandLine(), "a matcher is name=pattern, got '" + matcher + "'");
        m.put(matcher.substring(0, eq), matcher.substring(eq + 1));
      }
      if ((duration == null) == (endsAt == null)) {
        throw new ParameterException(spec.commandLine(), "give one of --duration or --ends-at");
      }
      JsonObject body = new JsonObject().put("matchers", m);
      if (startsAt != null) body.put("startsAt", startsAt);
      if (comment != null) body.put("comment", comment);
      if (endsAt != null) {
        body.put("endsAt", endsAt);
      } else {
        Instant from;
        try {
          from = startsAt == null ? Instant.now() : Instant.parse(startsAt);
          Duration d = Durations.parse(duration, "--duration");
          body.put("endsAt", from.plus(d).toString());
        } catch (RuntimeException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      ApiClient.Answer a = new ApiClient(api, parent.env).exchange("POST", PATH, body);
      if (!ok(a)) return parent.refused("POST", PATH, a);
      parent.out.println(a.json().getString("id"));
      return CommandLines.OK;
    }
  }

  @Command(name = "list", description = "List the silences: pending, active, and expired within the retention.")
  static final class ListSilences implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @ParentCommand
    SilenceCommands parent;
    @Option(names = "--json", description = "The API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a = new ApiClient(api, parent.env).exchange("GET", PATH, null);
      if (!ok(a)) return parent.refused("GET", PATH, a);
      if (json) {
        parent.out.println(a.json().encodePrettily());
        return CommandLines.OK;
      }
      parent.out.printf("%-36s  %-8s  %8s  %-24s  %-12s  %s%n", "ID", "STATUS", "HELD", "ENDS", "BY", "MATCHERS / COMMENT");
      for (Object o : a.json().getJsonArray("silences")) {
        JsonObject s = (JsonObject) o;
        String flag = Boolean.TRUE.equals(s.getBoolean("matchedNothingInFirstHour")) ? " [matched nothing in its first hour]" : "";
        String by = s.containsKey("expiredBy") ? s.getString("expiredBy") : s.getString("createdBy");
        parent.out.printf("%-36s  %-8s  %8d  %-24s  %-12s  %s %s%s%n", shown(s.getString("id")), s.getString("status"),
            s.getLong("held"), s.getString("endsAt"), shown(by), shown(s.getJsonObject("matchers").encode()),
            shown(s.getString("comment", "")), flag);
      }
      return CommandLines.OK;
    }
  }

  @Command(name = "expire", description = "Expire a silence now (recorded with who did it).")
  static final class Expire implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    ApiClient.Options api;
    @ParentCommand
    SilenceCommands parent;
    @Parameters(paramLabel = "ID", description = "The silence's id (silence list shows them).")
    String id;

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a = new ApiClient(api, parent.env).exchange("DELETE", PATH + "/" + id, null);
      if (!ok(a)) return parent.refused("DELETE", PATH + "/" + id, a);
      parent.out.println(id + " expired");
      return CommandLines.OK;
    }
  }
}
