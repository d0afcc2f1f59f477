package org.csp.edge.bench;

import java.util.Set;
import org.csp.edge.Commands;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar csp-edge-bench.jar bench [memory] ...}: the benchmark, apart from the product. */
@Command(name = "csp-edge-bench", mixinStandardHelpOptions = true, versionProvider = CommandLines.JarVersion.class,
    description = "The benchmark (node/csp-edge-node runs it by name): bench, bench memory.",
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error."})
public final class BenchMain implements Runnable {
  @Spec
  CommandSpec spec;

  private BenchMain() {}

  public static void main(String[] args) {
    Commands.main(commandLine(), args, Set.of());
  }

  static CommandLine commandLine() {
    CommandLine cl = CommandLines.top(new BenchMain());
    cl.addSubcommand(new BenchCommand(System.out));
    return cl;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is needed");
  }
}
