package org.csp.edge.sim;

import java.util.Set;
import org.csp.edge.Commands;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar csp-edge-simulator.jar simulate|demo|verify ...}: the storm simulator and the demo, apart from the product. */
@Command(name = "csp-edge-simulator", mixinStandardHelpOptions = true, versionProvider = CommandLines.JarVersion.class,
    description = "The storm simulator, the demo and the feed's check (node/csp-edge-node runs them by name).",
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error."})
public final class SimulatorMain implements Runnable {
  @Spec
  CommandSpec spec;

  private SimulatorMain() {}

  public static void main(String[] args) {
    Commands.main(commandLine(), args, Set.of("demo"));
  }

  static CommandLine commandLine() {
    CommandLine cl = CommandLines.top(new SimulatorMain());
    cl.addSubcommand(SimulateCommand.commandLine(System.out, System.err));
    cl.addSubcommand(new DemoCommand(System.out));
    cl.addSubcommand(new VerifyCommand(System.out));
    return cl;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is needed");
  }
}
