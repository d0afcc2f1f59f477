package org.csp.edge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.csp.edge.config.ConfigException;

/**
 * The HTTP API's bearer tokens file (a mounted Secret): one token a line, {@code name:role:sha256[:hubs]}, where
 * {@code sha256} is the hex SHA-256 of the token, {@code role} is {@code client} (alert intake and read-only API) or
 * {@code admin} (also whatever changes the node), and {@code hubs}, optional, binds the caller to the hubs it may
 * send alerts for, as in the MQTT credentials file ({@link HubScope}; absent: any hub). The file holds digests, not tokens: a copy of it lets no one in.
 * Tokens are random 256-bit values ({@code csp-edge-node new-token} makes one), so a fast digest suffices here,
 * unlike passwords, and checking one costs microseconds on the event loop. A name may hold several tokens (the old
 * and the new during a rotation) if they grant the same role and hubs.
 */
public final class HttpTokens {
  public enum Role { CLIENT, ADMIN }

  public record Holder(String name, Role role, HubScope hubs) {
    boolean sameGrantAs(Holder other) {
      return role == other.role && hubs.equals(other.hubs);
    }
  }

  private static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Longest Authorization value considered; longer ones are refused without hashing. */
  public static final int MAX_TOKEN_CHARS = 512;

  private final Map<String, Holder> byDigest;

  private HttpTokens(Map<String, Holder> byDigest) {
    this.byDigest = byDigest;
  }

  public static HttpTokens load(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ConfigException("security.http.tokensFile: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  static HttpTokens parse(List<String> lines, String source) {
    Map<String, Holder> byDigest = new HashMap<>();
    Map<String, Holder> byName = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String where = source + " line " + (i + 1);
      String[] parts = line.split(":");
      if (parts.length != 3 && parts.length != 4) throw new ConfigException(where + ": expected name:role:sha256[:hubs]");
      Role role;
      try {
        role = Role.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": the role must be client or admin");
      }
      String name = parts[0].strip();
      if (name.isEmpty() || name.length() > Credentials.MAX_NAME_CHARS || name.chars().anyMatch(Character::isWhitespace)) {
        throw new ConfigException(where + ": the name must be 1.." + Credentials.MAX_NAME_CHARS + " characters without spaces");
      }
      String digest = parts[2].strip().toLowerCase(Locale.ROOT);
      if (!digest.matches("[0-9a-f]{64}")) {
        throw new ConfigException(where + ": the third field must be the token's SHA-256 in hex (csp-edge-node new-token makes a line)");
      }
      HubScope hubs;
      try {
        hubs = HubScope.parse(parts.length > 3 ? parts[3] : null);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + " (" + name + "): " + e.getMessage());
      }
      Holder holder = new Holder(name, role, hubs);
      // The audit names a caller by its token's name: one name may hold several tokens (a rotation), all alike.
      Holder sameName = byName.putIfAbsent(name, holder);
      if (sameName != null && !sameName.sameGrantAs(holder)) {
        throw new ConfigException(where + ": '" + name + "' is listed before with another role or hubs; the audit names"
            + " callers by name, so a name's tokens must grant the same");
      }
      if (byDigest.put(digest, holder) != null) throw new ConfigException(where + ": the same token is listed twice");
    }
    return new HttpTokens(Map.copyOf(byDigest));
  }

  /** The holder of {@code token}, or null. */
  public Holder find(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) return null;
    return byDigest.get(digest(token));
  }

  public int size() {
    return byDigest.size();
  }

  public static String digest(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** A new random token (base64url, 43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
