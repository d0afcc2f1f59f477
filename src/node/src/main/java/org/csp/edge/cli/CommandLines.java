package org.csp.edge.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.ConfigException;
import org.csp.edge.text.UnsafeCharacters;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * How every jar's commands run, on picocli. Exit codes, the same for every command of every jar:
 * <ul>
 *   <li>0: done (and {@code --help}, {@code --version}, {@code completion});</li>
 *   <li>1: it failed (the node could not start, a resend was refused, the accounting did not hold, ...);</li>
 *   <li>2: usage: an unknown command or option, a missing or bad value, or a configuration refused.</li>
 * </ul>
 * Usage errors and failures go to standard error, help and results to standard output. A command that leaves a
 * server running keeps the JVM alive when it returns 0 ({@code org.csp.edge.Commands}); every other command exits.
 * Below every other package of the product, so that each can declare its own commands.
 */
public final class CommandLines {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private CommandLines() {}

  /** {@code -h}/{@code --help} on a subcommand; the top command has picocli's standard help and version options. */
  public static final class Help {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean requested;
  }

  /** The version in the jar's manifest (the root pom's shade configuration writes it); "development" from classes. */
  public static final class JarVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CommandLines.class.getPackage().getImplementationVersion();
      return new String[] {"${COMMAND-FULL-NAME} " + (v == null ? "development" : v)};
    }
  }

  /** A command that only names its subcommands: run without one, it is a usage error. */
  public abstract static class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "a subcommand is needed: one of " + spec.subcommands().keySet());
    }
  }

  /**
   * A group of commands with the environment they read (e.g. {@code NODE_API_URL}, {@code NODE_API_TOKEN}) and the
   * streams they print to: the API commands, {@code config check}, {@code dead-letters}.
   */
  public abstract static class StreamsGroup extends Group {
    protected final Map<String, String> env;
    protected final PrintStream out;
    protected final PrintStream err;

    protected StreamsGroup(Map<String, String> env, PrintStream out, PrintStream err) {
      this.env = env;
      this.out = out;
      this.err = err;
    }
  }

  /** The top command of a jar, with a {@code completion} subcommand that prints its bash completion script. */
  public static CommandLine top(Object command) {
    CommandLine cl = new CommandLine(command);
    CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion()).setCommandName("completion");
    completion.getCommandSpec().usageMessage()
        .description("Print a bash/zsh completion script for this command: source <(" + cl.getCommandName() + " completion)");
    cl.addSubcommand("completion", completion);
    return cl;
  }

  /** Runs a command (a top one or a single subcommand) on these streams; the exit code. */
  public static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
    return execute(command instanceof CommandLine cl ? cl : new CommandLine(command), args, out, err);
  }

  private static int execute(CommandLine cl, String[] args, PrintStream out, PrintStream err) {
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    // picocli answers a usage error with 2 (its ExitCode.USAGE) and a failure with 1, as documented above.
    cl.setExecutionExceptionHandler((e, failed, parsed) -> {
      if (e instanceof ConfigException) {
        failed.getErr().println("configuration error: " + e.getMessage());
        return USAGE;
      }
      failed.getErr().println(failed.getCommandName() + " failed: " + rootMessage(e));
      return FAILED;
    });
    return cl.execute(args);
  }

  /** The name of the innermost command of the last parse, or "" when help or the version was asked for. */
  public static String executed(CommandLine top) {
    ParseResult p = top.getParseResult();
    if (p == null) return "";
    while (p.hasSubcommand()) p = p.subcommand();
    return p.isUsageHelpRequested() || p.isVersionHelpRequested() ? "" : p.commandSpec().name();
  }

  /**
   * The options of a parse as arguments again ({@code --flag value}, {@code --flag}, {@code --flag=value} for a flag
   * given a value): for a tool whose record of options checks the values itself, once picocli has checked the grammar.
   */
  public static String[] matchedArgs(ParseResult parsed) {
    List<String> args = new ArrayList<>();
    for (OptionSpec o : parsed.matchedOptions()) {
      if (o.usageHelp() || o.versionHelp()) continue;
      List<String> values = o.originalStringValues();
      if (o.arity().max() == 0 || (o.arity().min() == 0 && values.isEmpty())) {
        args.add(o.longestName());
      } else if (o.arity().min() == 0) {
        values.forEach(v -> args.add(o.longestName() + "=" + v));
      } else {
        values.forEach(v -> {
          args.add(o.longestName());
          args.add(v);
        });
      }
    }
    return args.toArray(String[]::new);
  }

  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    if (t instanceof java.nio.file.FileSystemException f) return described(f);
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** A file system's refusal with its file and what went wrong: Java's message for some is the bare path. */
  public static String described(java.nio.file.FileSystemException f) {
    String what = f instanceof java.nio.file.AccessDeniedException ? "permission denied (the node's user may not use it)"
        : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
        : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
        : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
        : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
    return f.getFile() + (f.getOtherFile() != null ? " (and " + f.getOtherFile() + ")" : "") + ": " + what;
  }

  /**
   * A plain table: a header line, then the rows, columns padded to their widest cell; every cell shown as
   * {@link UnsafeCharacters#shown} (a value from the node cannot add a row or act on the terminal); {@code empty}
   * under the header when there is no row.
   */
  public static void printTable(PrintStream out, List<List<String>> cells, String empty) {
    List<List<String>> shown = cells.stream().map(line -> line.stream().map(UnsafeCharacters::shown).toList()).toList();
    int[] width = new int[shown.get(0).size()];
    for (List<String> line : shown) for (int i = 0; i < line.size(); i++) width[i] = Math.max(width[i], line.get(i).length());
    for (List<String> line : shown) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        if (i > 0) b.append("  ");
        b.append(String.format("%-" + width[i] + "s", line.get(i)));
      }
      out.println(b.toString().stripTrailing());
    }
    if (shown.size() == 1) out.println(empty);
  }
}
