package org.csp.edge.sim;

import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code simulate} subcommand: parse flags, run one scenario on a plain (not clustered) Vert.x,
 * print the report. picocli checks the grammar (known options, values present); {@link SimOptions} checks the values.
 *
 * <p>Exit codes: 0 the run is complete (every message answered for), 1 the run failed, timed out or has
 * unconfirmed messages, 2 bad command line (on standard error).
 */
@Command(name = "simulate", description = "Send an alert scenario to a CSP edge node and report what was sent.")
public final class SimulateCommand implements Callable<Integer> {

  public static final int OK = CommandLines.OK;
  public static final int FAILED = CommandLines.FAILED;
  public static final int USAGE = CommandLines.USAGE;

  @Mixin
  CommandLines.Help help;
  @Spec
  CommandSpec spec;
  @Option(names = "--transport", paramLabel = "mqtt|http", description = "How to reach the node (default mqtt).")
  String transport;
  @Option(names = "--host", paramLabel = "HOST", description = "MQTT host (default " + SimOptions.DEFAULT_HOST + ").")
  String host;
  @Option(names = "--mqtt-port", paramLabel = "PORT[,PORT...]", description = "MQTT port, or several nodes' ports"
      + " (default " + SimOptions.DEFAULT_MQTT_PORT + ").")
  String mqttPort;
  @Option(names = "--http", paramLabel = "URL", description = "HTTP base URL (default " + SimOptions.DEFAULT_HTTP_BASE_URL + ").")
  String http;
  @Option(names = "--scenario", paramLabel = "NAME", description = "The scenario (default " + SimOptions.DEFAULT_SCENARIO
      + "; listed below).")
  String scenario;
  @Option(names = "--scale", paramLabel = "X", description = "Multiplies the scenario's sizes (default 1).")
  String scale;
  @Option(names = "--seed", paramLabel = "N", description = "Same seed, same messages (default " + SimOptions.DEFAULT_SEED + ").")
  String seed;
  @Option(names = "--qos", paramLabel = "0|1", description = "MQTT QoS (default " + SimOptions.DEFAULT_QOS + ").")
  String qos;
  @Option(names = "--connections", paramLabel = "N", description = "MQTT connections / HTTP pool size (default "
      + SimOptions.DEFAULT_CONNECTIONS + ").")
  String connections;
  @Option(names = "--inflight", paramLabel = "N", description = "Unacknowledged messages per connection (default "
      + SimOptions.DEFAULT_MAX_INFLIGHT + ").")
  String inflight;
  @Option(names = "--rate", paramLabel = "R", description = "Messages per second, 0 = unlimited (default 0).")
  String rate;
  @Option(names = "--max-payload-base64", paramLabel = "N", description = "The node's payload limit (default "
      + ScenarioContext.DEFAULT_MAX_PAYLOAD_BASE64 + ").")
  String maxPayloadBase64;
  @Option(names = "--max-message-bytes", paramLabel = "N", description = "The node's message limit (default "
      + ScenarioContext.DEFAULT_MAX_MESSAGE_BYTES + ").")
  String maxMessageBytes;
  @Option(names = "--ndjson", description = "HTTP: send batches as NDJSON.")
  boolean ndjson;
  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default 300).")
  String timeout;
  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;
  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  private final PrintStream out;
  private final PrintStream err;

  SimulateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLines.execute(commandLine(out, err), args, out, err);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new SimulateCommand(out, err));
    StringBuilder names = new StringBuilder();
    for (Scenario s : Scenarios.all()) names.append(String.format(Locale.ROOT, "  %-16s %s%n", s.name(), s.description()));
    cl.getCommandSpec().usageMessage().footer("", "Scenarios:", names.toString());
    return cl;
  }

  /** The options of a command line, checked: picocli's grammar, then SimOptions' values. */
  static SimOptions parse(String[] args) {
    CommandLine cl = commandLine(System.out, System.err);
    try {
      return SimOptions.fromMatched(CommandLines.matchedArgs(cl.parseArgs(args)));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public Integer call() {
    SimOptions options;
    try {
      options = SimOptions.fromMatched(CommandLines.matchedArgs(spec.commandLine().getParseResult()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    // Progress lines would spoil a JSON report on the same stream.
    PrintStream progress = options.json() ? null : out;
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<SimReport> done = new StormSimulator(progress).run(vertx, options)
        .toCompletionStage().toCompletableFuture();
      // The simulator has its own timeout; this one only guards against a run that never reports.
      SimReport report = done.get(options.timeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
      out.print(options.json() ? report.toJson().encodePrettily() + "\n" : report.toText());
      return report.complete() ? OK : FAILED;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SimTimeoutException timeout && timeout.partialReport() != null) {
        out.print(options.json() ? timeout.partialReport().toJson().encodePrettily() + "\n"
          : timeout.partialReport().toText());
      }
      err.println("simulate: " + cause.getMessage());
      return FAILED;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      err.println("simulate: " + e);
      return FAILED;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception closing) {
        if (closing instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
