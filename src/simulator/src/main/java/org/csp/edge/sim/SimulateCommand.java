package org.csp.edge.sim;

import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The {@code simulate} subcommand: parse flags, run one scenario on a plain (not clustered) Vert.x,
 * print the report.
 *
 * <p>Exit codes: 0 the run is complete (every message answered for), 1 the run failed, timed out or has
 * unconfirmed messages, 2 bad command line.
 */
public final class SimulateCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private SimulateCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  public static int run(String[] args, PrintStream out) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(SimOptions.usage());
      return OK;
    }
    SimOptions options;
    try {
      options = SimOptions.fromArgs(args);
    } catch (IllegalArgumentException e) {
      out.println("simulate: " + e.getMessage());
      out.println("run 'simulate --help' for the flags");
      return USAGE;
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
      out.println("simulate: " + cause.getMessage());
      return FAILED;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      out.println("simulate: " + e);
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
