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
  public static final String HASH_PASSWORD_USAGE = """
      usage: csp-edge-node hash-password NAME [--cost N] [--hubs LIST]
        reads the password from the terminal, or the first line of standard input, and prints the line for the
        MQTT credentials file (security.mqtt.credentialsFile): NAME:<bcrypt hash>[:LIST]
        --cost N     bcrypt cost, %d..%d (default %d: each check takes about 2^N rounds)
        --hubs LIST  bind the client to these hubs: ids and prefixes, comma-separated (00-1B-C5-0C-00-00-10-01,00-1B-C5-0D-*)
      """.formatted(PasswordHashes.MIN_COST, PasswordHashes.MAX_COST, PasswordHashes.DEFAULT_COST);
  public static final String NEW_TOKEN_USAGE = """
      usage: csp-edge-node new-token NAME [--role client|admin] [--hubs LIST]
        prints a new bearer token (hand it to the caller; it is kept nowhere), then the line for the HTTP tokens
        file (security.http.tokensFile) that accepts it: NAME:ROLE:<sha256 of the token>[:LIST]
        --role       client (alert intake, read-only API; default) or admin (also what changes the node)
        --hubs LIST  bind the caller to these hubs: ids and prefixes, comma-separated (00-1B-C5-0C-00-00-10-01,00-1B-C5-0D-*)
      """;

  private SecurityCommands() {}

  public static int hashPassword(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
    if (args.length == 0 || args[0].startsWith("-")) {
      err.print(HASH_PASSWORD_USAGE);
      return 2;
    }
    String name = args[0];
    int cost = PasswordHashes.DEFAULT_COST;
    String hubs = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--cost") && i + 1 < args.length) cost = Integer.parseInt(args[++i]);
      else if (args[i].equals("--hubs") && i + 1 < args.length) hubs = args[++i];
      else {
        err.print(HASH_PASSWORD_USAGE);
        return 2;
      }
    }
    if (name.contains(":") || name.length() > Credentials.MAX_NAME_CHARS || name.chars().anyMatch(Character::isWhitespace)) {
      err.println("the name may not hold ':' or spaces, and has at most " + Credentials.MAX_NAME_CHARS + " characters");
      return 2;
    }
    HubScope scope;
    try {
      scope = HubScope.parse(hubs);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    char[] password = readPassword(in, err);
    if (password == null || password.length == 0) {
      err.println("no password given (type it, or pipe it on standard input)");
      return 2;
    }
    try {
      String hash = PasswordHashes.hash(password, cost);
      out.println(name + ":" + hash + (scope.any() ? "" : ":" + scope));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  public static int newToken(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].startsWith("-")) {
      err.print(NEW_TOKEN_USAGE);
      return 2;
    }
    String name = args[0];
    HttpTokens.Role role = HttpTokens.Role.CLIENT;
    String hubs = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--hubs") && i + 1 < args.length) {
        hubs = args[++i];
      } else if (args[i].equals("--role") && i + 1 < args.length) {
        try {
          role = HttpTokens.Role.valueOf(args[++i].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          err.print(NEW_TOKEN_USAGE);
          return 2;
        }
      } else {
        err.print(NEW_TOKEN_USAGE);
        return 2;
      }
    }
    if (name.contains(":") || name.isBlank()) {
      err.println("the name may not be empty or hold ':'");
      return 2;
    }
    HubScope scope;
    try {
      scope = HubScope.parse(hubs);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    String token = HttpTokens.newToken();
    out.println(token);
    out.println(name + ":" + role.name().toLowerCase(Locale.ROOT) + ":" + HttpTokens.digest(token)
        + (scope.any() ? "" : ":" + scope));
    return 0;
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
