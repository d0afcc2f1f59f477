package org.csp.edge.security;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Salted password hashes of the MQTT credentials file: bcrypt in its usual {@code $2y$<cost>$<salt+hash>} form,
 * made and checked by Bouncy Castle's {@link OpenBSDBCrypt} (the same lines as {@code htpasswd -B} writes). A
 * check costs about 2^cost rounds of work on purpose: callers run it on a worker thread, never an event loop.
 */
public final class PasswordHashes {
  /** OWASP's minimum for bcrypt; about 50-100 ms a check on one core. */
  public static final int DEFAULT_COST = 10;
  /** Below this a stolen credentials file is cheap to brute-force: such hashes are refused, made or loaded. */
  public static final int MIN_COST = 10;
  public static final int MAX_COST = 31;
  /** bcrypt reads at most this many bytes of a password; longer ones are refused rather than silently cut. */
  public static final int MAX_PASSWORD_BYTES = 72;
  private static final int SALT_BYTES = 16;
  private static final String VERSION = "2y";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashes() {}

  public static String hash(char[] password, int cost) {
    if (cost < MIN_COST || cost > MAX_COST) throw new IllegalArgumentException("cost must be " + MIN_COST + ".." + MAX_COST);
    if (new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException("a password may have at most " + MAX_PASSWORD_BYTES + " bytes (bcrypt's limit)");
    }
    if (password.length == 0) throw new IllegalArgumentException("the password is empty");
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate(VERSION, password, salt, cost);
  }

  /** Whether {@code hash} looks like a bcrypt hash this class can check (it says nothing of the password). */
  public static boolean wellFormed(String hash) {
    return hash != null && hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  }

  /** The cost written in a well-formed hash. */
  public static int cost(String hash) {
    return Integer.parseInt(hash.substring(4, 6));
  }

  /** Slow on purpose. False for a malformed hash or an over-long password; never throws for bad input. */
  public static boolean matches(String hash, char[] password) {
    if (!wellFormed(hash) || password.length == 0) return false;
    if (new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) return false;
    try {
      return OpenBSDBCrypt.checkPassword(hash, password);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
