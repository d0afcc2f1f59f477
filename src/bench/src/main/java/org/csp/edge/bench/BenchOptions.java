package org.csp.edge.bench;

import org.csp.edge.support.MosquittoProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to run the benchmark, from the command line. {@code --smoke} changes the defaults (not what is given
 * explicitly) to a run of a few seconds per scenario at small rates: it checks that the harness works and the
 * accounting holds, and measures nothing worth keeping.
 *
 * @param step        how long each rate is offered
 * @param startRate   alerts per second of the first step; each next step doubles it
 * @param maxRate     the climb stops there (a hop that keeps up with it is reported as capped)
 * @param window      unacknowledged messages per publisher connection
 * @param refinements bisection steps between the last rate kept up with and the first one not
 * @param p99BoundMs  PUBACK p99 above this means the hop no longer keeps up
 * @param nodes       members of the node's local cluster, in this JVM (1: a single node)
 * @param journal     the node's durability.journal: on (the default) or off, to measure what it costs
 * @param rollups     the node's rollups.enabled: on (the default) or off, to measure what counting them costs
 */
record BenchOptions(List<BenchScenario> scenarios, Duration step, double startRate, double maxRate, int connections,
    int window, int refinements, double p99BoundMs, int nodes, boolean smoke, Path out, Path mosquitto, boolean help,
    boolean journal, boolean rollups) {

  JsonObject toJson() {
    JsonArray names = new JsonArray();
    scenarios.forEach(s -> names.add(s.cliName()));
    return new JsonObject().put("scenarios", names).put("stepSeconds", step.toMillis() / 1000.0)
        .put("startRate", startRate).put("maxRate", maxRate).put("connections", connections).put("inflight", window)
        .put("refinements", refinements).put("pubackP99BoundMs", p99BoundMs).put("nodes", nodes).put("smoke", smoke)
        .put("journal", journal ? "on" : "off")
        .put("rollups", rollups ? "on" : "off");
  }

  /** @throws IllegalArgumentException naming the flag at fault */
  static BenchOptions parse(String[] args) {
    List<BenchScenario> scenarios = List.of(BenchScenario.values());
    Double stepSeconds = null;
    Double startRate = null;
    Double maxRate = null;
    Integer connections = null;
    Integer refinements = null;
    int window = 128;
    Double p99Bound = null;
    int nodes = 1;
    boolean smoke = false;
    boolean help = false;
    boolean journal = true;
    boolean rollups = true;
    Path out = Path.of("target", "bench");
    Path mosquitto = MosquittoProcess.DEFAULT_BINARY;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      switch (flag) {
        case "--smoke" -> smoke = true;
        case "--help", "-h" -> help = true;
        case "--scenarios", "--step-seconds", "--start-rate", "--max-rate", "--connections", "--inflight", "--refine",
            "--p99-bound-ms", "--nodes", "--out", "--mosquitto", "--journal", "--rollups" -> {
          if (value == null) {
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            value = args[++i];
          }
          switch (flag) {
            case "--scenarios" -> scenarios = scenarios(value);
            case "--step-seconds" -> stepSeconds = positive(flag, value);
            case "--start-rate" -> startRate = positive(flag, value);
            case "--max-rate" -> maxRate = positive(flag, value);
            case "--connections" -> connections = (int) atLeast(flag, value, 1);
            case "--inflight" -> window = (int) atLeast(flag, value, 1);
            case "--refine" -> refinements = (int) atLeast(flag, value, 0);
            case "--p99-bound-ms" -> p99Bound = positive(flag, value);
            case "--nodes" -> nodes = (int) atLeast(flag, value, 1);
            case "--out" -> out = Path.of(value);
            case "--journal" -> journal = onOff(flag, value);
            case "--rollups" -> rollups = onOff(flag, value);
            default -> mosquitto = Path.of(value);
          }
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    if (nodes > 9) throw new IllegalArgumentException("--nodes must be at most 9 (members share this JVM and machine)");
    if (window > 60_000) throw new IllegalArgumentException("--inflight must be at most 60000 (MQTT packet ids)");
    double start = startRate != null ? startRate : smoke ? 200 : 1000;
    double max = maxRate != null ? maxRate : smoke ? 2 * start : 400_000;
    if (max < start) throw new IllegalArgumentException("--max-rate " + max + " is below --start-rate " + start);
    return new BenchOptions(scenarios, Duration.ofMillis(Math.round((stepSeconds != null ? stepSeconds : smoke ? 1 : 4) * 1000)),
        start, max, connections != null ? connections : smoke ? 2 : 4, window,
        refinements != null ? refinements : smoke ? 0 : 2,
        // A smoke run checks the harness on whatever machine CI has: a slow cold start there is not a finding.
        p99Bound != null ? p99Bound : smoke ? 500 : 100, nodes, smoke, out, mosquitto, help, journal, rollups);
  }

  private static boolean onOff(String flag, String value) {
    if (value.equals("on")) return true;
    if (value.equals("off")) return false;
    throw new IllegalArgumentException(flag + " must be on or off, got '" + value + "'");
  }

  private static List<BenchScenario> scenarios(String value) {
    List<BenchScenario> list = new ArrayList<>();
    for (String name : value.split(",")) {
      if (name.isBlank()) continue;
      BenchScenario s = BenchScenario.byName(name);
      if (!list.contains(s)) list.add(s);
    }
    if (list.isEmpty()) throw new IllegalArgumentException("--scenarios names none (known: " + BenchScenario.names() + ")");
    return List.copyOf(list);
  }

  private static double positive(String flag, String value) {
    double v = number(flag, value);
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
    return v;
  }

  private static long atLeast(String flag, String value, long min) {
    double v = number(flag, value);
    if (v != Math.rint(v) || v < min) {
      throw new IllegalArgumentException(flag + " must be a whole number of at least " + min + ", got " + value);
    }
    return (long) v;
  }

  private static double number(String flag, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s, %s s steps from %,.0f alerts/s doubling up to %,.0f, %d connections x %d in flight,"
            + " %s", scenarios.stream().map(BenchScenario::cliName).toList(), step.toMillis() / 1000.0, startRate, maxRate,
        connections, window, nodes == 1 ? "one node" : "a local cluster of " + nodes + " members")
        + (journal ? "" : ", journal off") + (rollups ? "" : ", rollups off");
  }
}
