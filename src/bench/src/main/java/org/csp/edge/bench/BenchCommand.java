package org.csp.edge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.csp.edge.bench.memory.MemoryCommand;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code csp-edge-node bench [options]}: on one machine, a real Mosquitto as the DSP's broker, the node in this JVM,
 * QoS 1 publishers stepping up the offered rate of each scenario until the node falls behind, the same traffic through
 * a bare Mosquitto hop for comparison; writes results.json and results.md and prints the summary.
 * Exit 0 when it ran and the accounting held in every scenario, 1 when the accounting failed or the run did, 2 for a
 * usage error. See src/docs/performance.md.
 */
@Command(name = "bench", description = {"Throughput and latency of the node against two baselines on this machine:"
    + " a bare Mosquitto hop, and a relay on the node's own stack doing nothing else.",
    "Exit 0 when the accounting held in every scenario, 1 when it did not or the run failed, 2 for a usage error."},
    subcommands = MemoryCommand.class)
public final class BenchCommand implements Callable<Integer> {
  @Mixin
  CommandLines.Help help;
  @Spec
  CommandSpec spec;
  @Option(names = "--scenarios", paramLabel = "a,b,c", description = "Default all: ${COMPLETION-CANDIDATES}.",
      completionCandidates = ScenarioNames.class)
  String scenarios;
  @Option(names = "--step-seconds", paramLabel = "N", description = "Seconds per rate step (default 4; smoke 1).")
  String stepSeconds;
  @Option(names = "--start-rate", paramLabel = "N", description = "Alerts/s of the node's first step, doubled each step,"
      + " halved if too much (default 1000; smoke 200); the baselines start at the node's maximum.")
  String startRate;
  @Option(names = "--max-rate", paramLabel = "N", description = "Highest rate tried (default 400000; smoke 400).")
  String maxRate;
  @Option(names = "--connections", paramLabel = "N", description = "QoS 1 publisher connections (default 4; smoke 2).")
  String connections;
  @Option(names = "--inflight", paramLabel = "N", description = "Unacknowledged messages per connection (default 128).")
  String inflight;
  @Option(names = "--refine", paramLabel = "N", description = "Bisection steps after the first rate not kept up with"
      + " (default 2; smoke 0).")
  String refine;
  @Option(names = "--p99-bound-ms", paramLabel = "N", description = "PUBACK p99 above this = not keeping up"
      + " (default 100; smoke 500).")
  String p99BoundMs;
  @Option(names = "--nodes", paramLabel = "N", description = "A local cluster of N members in this JVM, publishers spread"
      + " over them (default 1); the report gives Hazelcast round trips per alert.")
  String nodes;
  @Option(names = "--smoke", description = "A few seconds per scenario at small rates: checks the harness and the accounting.")
  boolean smoke;
  @Option(names = "--out", paramLabel = "DIR", description = "Where results.json and results.md go (default target/bench).")
  String out;
  @Option(names = "--mosquitto", paramLabel = "PATH", description = "The broker binary (default /usr/sbin/mosquitto).")
  String mosquitto;
  @Option(names = "--journal", paramLabel = "on|off", description = "The node's durability.journal (default on): run "
      + "both to see what it costs.")
  String journal;
  @Option(names = "--rollups", paramLabel = "on|off", description = "The node's rollups.enabled (default on): run "
      + "both to see what counting the reports' rollups costs.")
  String rollups;
  private final PrintStream print;

  BenchCommand() {
    this(System.out);
  }

  BenchCommand(PrintStream print) {
    this.print = print;
  }

  /** The scenarios' names, for completion and help. */
  static final class ScenarioNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(BenchScenario.values()).map(BenchScenario::cliName).iterator();
    }
  }

  public static int run(String[] args, PrintStream out) {
    return CommandLines.execute(new BenchCommand(out), args, out, System.err);
  }

  @Override
  public Integer call() {
    String[] args = CommandLines.matchedArgs(spec.commandLine().getParseResult());
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintStream out = print;
    try {
      BenchResult result = BenchRun.run(options, "bench " + String.join(" ", args), out);
      Files.createDirectories(options.out());
      Path json = options.out().resolve("results.json");
      Path markdown = options.out().resolve("results.md");
      Files.writeString(json, result.toJson().encodePrettily());
      Files.writeString(markdown, MarkdownReport.full(result));
      out.println();
      out.print(MarkdownReport.summary(result));
      out.println();
      out.print(MarkdownReport.targets(result));
      out.println();
      out.println("bench: wrote " + json + " and " + markdown);
      out.println(result.accountingHeld()
          ? "bench: the accounting held in every scenario"
          : "bench: THE ACCOUNTING DID NOT HOLD (see the accounting column)");
      return result.accountingHeld() ? 0 : 1;
    } catch (BenchException e) {
      System.err.println("bench failed: " + e.getMessage());
      if (Boolean.getBoolean("bench.trace")) e.printStackTrace();
      return 1;
    } catch (RuntimeException | IOException e) {
      System.err.println("bench failed: " + e); // unexpected: the type says more than the message
      if (Boolean.getBoolean("bench.trace")) e.printStackTrace();
      return 1;
    }
  }
}
