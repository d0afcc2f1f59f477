package org.csp.edge;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.csp.edge.cluster.CommonPool;
import org.csp.edge.config.ConfigException;
import org.csp.edge.ops.LogContext;

/**
 * How every jar's {@code main} runs a command: the first argument names it; usage on no argument (exit 2) or
 * {@code --help} (exit 0); a configuration error exits 2, any other failure 1. A command that leaves a server
 * running ({@code longRunning}) keeps the JVM alive when it returns 0; every other command exits with its code.
 */
public final class Commands {
  /** One subcommand: its arguments after the command's name, its exit code. */
  @FunctionalInterface
  public interface Command {
    int run(String[] args) throws Exception;
  }

  private Commands() {}

  public static void main(String[] args, String usage, Map<String, Command> commands, Set<String> longRunning) {
    CommonPool.atLeastTwoThreads();
    LogContext.chooseFormat(System.getenv());
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(usage);
      System.exit(args.length == 0 ? 2 : 0);
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      System.err.println("unknown command '" + args[0] + "'\n" + usage);
      System.exit(2);
    }
    int code;
    try {
      code = command.run(Arrays.copyOfRange(args, 1, args.length));
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println(args[0] + " failed: " + rootMessage(e));
      code = 1;
    }
    if (code != 0 || !longRunning.contains(args[0])) System.exit(code);
  }

  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
