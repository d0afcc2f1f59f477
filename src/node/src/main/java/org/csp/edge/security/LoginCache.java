package org.csp.edge.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful password checks, remembered for a while so that a reconnect storm (every hub after a network outage)
 * costs an HMAC per login instead of a bcrypt. It keeps, per user, an HMAC of the password under a key made at start
 * and never written anywhere: neither the password nor anything that can be checked offline. Bounded: past
 * {@code maxEntries} it starts afresh.
 */
final class LoginCache {
  private static final String MAC = "HmacSHA256";
  private static final int KEY_BYTES = 32;

  private record Remembered(byte[] mac, long expiresAtNanos) {}

  private final ConcurrentHashMap<String, Remembered> entries = new ConcurrentHashMap<>();
  private final SecretKeySpec key;
  private final long ttlNanos;
  private final int maxEntries;

  LoginCache(long ttlNanos, int maxEntries) {
    byte[] k = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, MAC);
    this.ttlNanos = ttlNanos;
    this.maxEntries = maxEntries;
  }

  boolean remembers(String user, String password, long nowNanos) {
    if (ttlNanos <= 0) return false;
    Remembered r = entries.get(user);
    if (r == null) return false;
    if (nowNanos - r.expiresAtNanos() > 0) {
      entries.remove(user, r);
      return false;
    }
    return MessageDigest.isEqual(r.mac(), mac(user, password));
  }

  void remember(String user, String password, long nowNanos) {
    if (ttlNanos <= 0) return;
    if (entries.size() >= maxEntries) entries.clear();
    entries.put(user, new Remembered(mac(user, password), nowNanos + ttlNanos));
  }

  private byte[] mac(String user, String password) {
    try {
      Mac m = Mac.getInstance(MAC);
      m.init(key);
      m.update(user.getBytes(StandardCharsets.UTF_8));
      m.update((byte) 0);
      return m.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM has no " + MAC, e);
    }
  }
}
