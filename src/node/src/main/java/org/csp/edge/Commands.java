package org.csp.edge;

import java.util.Set;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.cluster.CommonPool;
import org.csp.edge.ops.LogContext;
import picocli.CommandLine;

/**
 * How every jar's {@code main} runs its command line ({@link CommandLines}: exit codes 0 ok, 1 failure, 2 usage). A
 * command that leaves a server running ({@code longRunning}) keeps the JVM alive when it returns 0; every other
 * command exits with its code.
 */
public final class Commands {
  private Commands() {}

  public static void main(CommandLine top, String[] args, Set<String> longRunning) {
    CommonPool.atLeastTwoThreads();
    LogContext.chooseFormat(System.getenv());
    int code = CommandLines.execute(top, args, System.out, System.err);
    if (code != CommandLines.OK || !longRunning.contains(CommandLines.executed(top))) System.exit(code);
  }
}
