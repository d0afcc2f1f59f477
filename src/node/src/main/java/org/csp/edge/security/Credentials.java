package org.csp.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.ConfigException;

/**
 * The MQTT intake's credentials file (a mounted Secret): one client a line, {@code name:hash[:hubs]}.
 * <ul>
 *   <li>{@code name}: the MQTT user name, or the common name (CN) of a client certificate;</li>
 *   <li>{@code hash}: a bcrypt hash ({@code csp-edge-node hash-password} or {@code htpasswd -nB} makes one), or
 *       {@code !} for a client that may log in with its certificate only;</li>
 *   <li>{@code hubs}: optional, the hubs the client may send alerts for ({@link HubScope}); absent: any hub.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are ignored. Errors name the line, never its hash.
 */
public final class Credentials {
  public static final String CERTIFICATE_ONLY = "!";
  /** Longest user name taken; longer ones are refused before any hashing. */
  public static final int MAX_NAME_CHARS = 128;

  public record Entry(String name, String hash, HubScope hubs) {
    public boolean passwordLogin() {
      return !CERTIFICATE_ONLY.equals(hash);
    }

    @Override
    public String toString() {
      return "Entry[" + name + ", hubs " + hubs + "]";
    }
  }

  private final Map<String, Entry> entries;

  private Credentials(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static Credentials load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("security.mqtt.credentialsFile: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    return parse(lines, file.toString());
  }

  static Credentials parse(List<String> lines, String source) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String where = source + " line " + (i + 1);
      String[] parts = line.split(":", 3);
      if (parts.length < 2) throw new ConfigException(where + ": expected name:hash[:hubs]");
      String name = parts[0].strip();
      String hash = parts[1].strip();
      if (name.isEmpty() || name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isWhitespace)) {
        throw new ConfigException(where + ": the name must be 1.." + MAX_NAME_CHARS + " characters without spaces");
      }
      if (!CERTIFICATE_ONLY.equals(hash) && !PasswordHashes.wellFormed(hash)) {
        throw new ConfigException(where + " (" + name + "): the hash is not a bcrypt hash ($2y$...); make one with "
            + "'csp-edge-node hash-password " + name + "', or write ! for a certificate-only client");
      }
      if (!CERTIFICATE_ONLY.equals(hash) && PasswordHashes.cost(hash) < PasswordHashes.MIN_COST) {
        throw new ConfigException(where + " (" + name + "): bcrypt cost " + PasswordHashes.cost(hash) + " is below "
            + PasswordHashes.MIN_COST + ", too cheap to guess against; make a new hash with 'csp-edge-node hash-password "
            + name + "'");
      }
      HubScope hubs;
      try {
        hubs = HubScope.parse(parts.length > 2 ? parts[2] : null);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + " (" + name + "): " + e.getMessage());
      }
      if (entries.putIfAbsent(name, new Entry(name, hash, hubs)) != null) {
        throw new ConfigException(where + ": '" + name + "' is listed twice");
      }
    }
    return new Credentials(Map.copyOf(entries));
  }

  /** Null when the name is not listed. */
  public Entry find(String name) {
    return name == null ? null : entries.get(name);
  }

  public int size() {
    return entries.size();
  }

  /** The cost of the first password hash, for the stand-in check that hides whether a user exists. */
  int typicalCost() {
    return entries.values().stream().filter(Entry::passwordLogin).findFirst()
        .map(e -> PasswordHashes.cost(e.hash())).orElse(PasswordHashes.DEFAULT_COST);
  }
}
