package org.csp.edge.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operator's tools for the credentials files:
 * <ul>
 *   <li>{@code hash-password NAME [--cost N] [--hubs LIST]}: reads the password from the terminal (not echoed) or
 *       the first line of standard input, and prints the credentials-file line {@code NAME:bcrypt[:hubs]};</li>
 *   <li>{@code new-token NAME [--role client|admin]}: prints a new random bearer token, then the tokens-file line
 *       {@code NAME:role:sha256} that accepts it.</li>
 * </ul>
 * Neither ever writes the password or the token anywhere but to the operator.
 */
public final class SecurityCommands {
  private SecurityCommands() {}

  /** {@code hash-password NAME [--cost N] [--hubs LIST]} on these streams; the exit code. */
  public static int hashPassword(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return CommandLines.execute(new HashPassword(in, out, err), args, out, err);
  }

  /** {@code new-token NAME [--role client|admin] [--hubs LIST]} on these streams; the exit code. */
  public static int newToken(String[] args, PrintStream out, PrintStream err) {
    return CommandLines.execute(new NewToken(out, err), args, out, err);
  }

  @Command(name = "hash-password", description = {"Print the line for the MQTT credentials file"
      + " (security.mqtt.credentialsFile): NAME:<bcrypt hash>[:LIST].",
      "The password is read from the terminal (not echoed), or the first line of standard input."})
  public static final class HashPassword implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Parameters(paramLabel = "NAME", description = "The client's name (no ':' or spaces).")
    String name;
    @Option(names = "--cost", paramLabel = "N", description = "bcrypt cost, " + PasswordHashes.MIN_COST + ".."
        + PasswordHashes.MAX_COST + " (default: ${DEFAULT-VALUE}; each check takes about 2^N rounds).")
    int cost = PasswordHashes.DEFAULT_COST;
    @Option(names = "--hubs", paramLabel = "LIST", description = "Bind the client to these hubs: ids and prefixes,"
        + " comma-separated (00-1B-C5-0C-00-00-10-01,00-1B-C5-0D-*).")
    String hubs;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public HashPassword(InputStream in, PrintStream out, PrintStream err) {
      this.in = in;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() throws IOException {
      if (name.contains(":") || name.length() > Credentials.MAX_NAME_CHARS || name.chars().anyMatch(Character::isWhitespace)) {
        err.println("the name may not hold ':' or spaces, and has at most " + Credentials.MAX_NAME_CHARS + " characters");
        return CommandLines.USAGE;
      }
      HubScope scope;
      try {
        scope = HubScope.parse(hubs);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return CommandLines.USAGE;
      }
      char[] password = readPassword(in, err);
      if (password == null || password.length == 0) {
        err.println("no password given (type it, or pipe it on standard input)");
        return CommandLines.USAGE;
      }
      try {
        String hash = PasswordHashes.hash(password, cost);
        out.println(name + ":" + hash + (scope.any() ? "" : ":" + scope));
        return CommandLines.OK;
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return CommandLines.USAGE;
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  @Command(name = "new-token", description = {"Print a new bearer token (hand it to the caller; it is kept nowhere),"
      + " then the line for the HTTP tokens file (security.http.tokensFile) that accepts it:"
      + " NAME:ROLE:<sha256 of the token>[:LIST]."})
  public static final class NewToken implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Parameters(paramLabel = "NAME", description = "The caller's name (no ':').")
    String name;
    @Option(names = "--role", paramLabel = "client|admin", description = "client (alert intake, read-only API;"
        + " default) or admin (also what changes the node).")
    String role = "client";
    @Option(names = "--hubs", paramLabel = "LIST", description = "Bind the caller to these hubs: ids and prefixes,"
        + " comma-separated (00-1B-C5-0C-00-00-10-01,00-1B-C5-0D-*).")
    String hubs;
    @Spec
    CommandSpec spec;
    private final PrintStream out;
    private final PrintStream err;

    public NewToken(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      HttpTokens.Role chosen;
      try {
        chosen = HttpTokens.Role.valueOf(role.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--role must be client or admin, got '" + role + "'");
      }
      if (name.contains(":") || name.isBlank()) {
        err.println("the name may not be empty or hold ':'");
        return CommandLines.USAGE;
      }
      HubScope scope;
      try {
        scope = HubScope.parse(hubs);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return CommandLines.USAGE;
      }
      String token = HttpTokens.newToken();
      out.println(token);
      out.println(name + ":" + chosen.name().toLowerCase(Locale.ROOT) + ":" + HttpTokens.digest(token)
          + (scope.any() ? "" : ":" + scope));
      return CommandLines.OK;
    }
  }

  private static char[] readPassword(InputStream in, PrintStream err) throws IOException {
    Console console = System.console();
    if (console != null && in == System.in) {
      char[] first = console.readPassword("password: ");
      char[] again = console.readPassword("again: ");
      if (first == null || !Arrays.equals(first, again)) {
        err.println("the two passwords differ");
        return null;
      }
      return first;
    }
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    return line == null ? null : line.toCharArray();
  }
}
