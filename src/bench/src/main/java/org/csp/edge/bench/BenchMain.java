package org.csp.edge.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.csp.edge.Commands;
import org.csp.edge.bench.memory.MemoryCommand;

/** {@code java -jar csp-edge-bench.jar bench [memory] ...}: the benchmark, apart from the product. */
public final class BenchMain {
  private static final String USAGE = """
      usage: csp-edge-node bench [memory] [options]
        bench [options]         throughput and latency against a bare Mosquitto hop and a bare relay (bench --help)
        bench memory [options]  heap per tracked hub and code, with a million hubs in state (bench memory --help)
      """;

  private BenchMain() {}

  public static void main(String[] args) {
    Commands.main(args, USAGE, Map.of(
        "bench", rest -> rest.length > 0 && rest[0].equals("memory")
            ? MemoryCommand.run(Arrays.copyOfRange(rest, 1, rest.length), System.out)
            : BenchCommand.run(rest, System.out)), Set.of());
  }
}
