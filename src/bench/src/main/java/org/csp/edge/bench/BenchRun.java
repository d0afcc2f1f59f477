package org.csp.edge.bench;

import org.csp.edge.support.MosquittoProcess;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The whole run: one Mosquitto and one load generator for every scenario, each scenario with a node of its own. */
final class BenchRun {
  private BenchRun() {}

  static BenchResult run(BenchOptions options, String commandLine, PrintStream out) {
    Instant started = Instant.now();
    out.println("bench: " + options);
    out.println("bench: " + Machine.line(Machine.describe()));
    List<ScenarioResult> results = new ArrayList<>();
    try (MosquittoProcess broker = MosquittoProcess.start(options.mosquitto());
        GeneratorLoops loops = GeneratorLoops.start()) {
      out.println("bench: Mosquitto on " + broker.url() + " is the node's upstream broker and the bare hop");
      // Both Vert.x instances name their threads vert.x-eventloop-thread-N: these ids tell the generator's apart in a
      // JFR recording (jfr print shows javaThreadId).
      out.println("bench: load generator and subscriber event loops: javaThreadId " + loops.threadIds());
      for (BenchScenario scenario : options.scenarios()) {
        // The previous scenario's node and its hub state are garbage now: collect it, so this scenario's heap
        // figures are its own.
        System.gc();
        results.add(new ScenarioBench(options, loops, broker, out).run(scenario));
      }
    }
    return new BenchResult(commandLine, options, Machine.describe(), started, Duration.between(started, Instant.now()),
        results);
  }
}
