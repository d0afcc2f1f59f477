package org.csp.edge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code csp-edge-node bench [options]}: on one machine, a real Mosquitto as the DSP's broker, the node in this JVM,
 * QoS 1 publishers stepping up the offered rate of each scenario until the node falls behind, the same traffic through
 * a bare Mosquitto hop for comparison; writes results.json and results.md and prints the summary.
 * Exit 0 when it ran and the accounting held in every scenario, 1 when the accounting failed or the run did, 2 for a
 * usage error. See src/docs/performance.md.
 */
public final class BenchCommand {
  private BenchCommand() {}

  public static int run(String[] args, PrintStream out) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      out.println("bench: " + e.getMessage());
      out.print(BenchOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.print(BenchOptions.USAGE);
      return 0;
    }
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
      out.println("bench failed: " + e.getMessage());
      return 1;
    } catch (RuntimeException | IOException e) {
      out.println("bench failed: " + e); // unexpected: the type says more than the message
      return 1;
    }
  }
}
