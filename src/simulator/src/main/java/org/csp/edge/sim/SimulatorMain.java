package org.csp.edge.sim;

import java.util.Map;
import java.util.Set;
import org.csp.edge.Commands;

/** {@code java -jar csp-edge-simulator.jar simulate|demo|verify ...}: the storm simulator and the demo, apart from the product. */
public final class SimulatorMain {
  private static final String USAGE = """
      usage: csp-edge-node simulate|demo|verify [options]
        simulate [options]      send a storm scenario to a node and report what was sent (simulate --help)
        demo [--exit]           run a node on embedded defaults and show a storm being consolidated
        verify [options]        check the accounting from the DSP feed alone, per node and boot (verify --help)
      """;

  private SimulatorMain() {}

  public static void main(String[] args) {
    Commands.main(args, USAGE, Map.of(
        "simulate", rest -> SimulateCommand.run(rest, System.out),
        "demo", rest -> DemoCommand.run(rest, System.out),
        "verify", rest -> VerifyCommand.run(rest, System.out)), Set.of("demo"));
  }
}
