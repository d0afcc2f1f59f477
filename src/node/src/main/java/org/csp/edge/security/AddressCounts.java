package org.csp.edge.security;

import java.util.concurrent.ConcurrentHashMap;

/**
 * An intake's open connections by remote address, so that one address cannot take every connection the intake
 * allows (a slow-loris or idle flood from one client shutting out the others). Thread-safe: an intake's connections
 * open and close on several event loops.
 */
final class AddressCounts {
  private final int maxPerAddress;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  AddressCounts(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /** Counts one more connection from {@code host}; false, and not counted, when it has its maximum open already. */
  boolean add(String host) {
    boolean[] counted = {false};
    open.compute(host, (h, n) -> {
      int now = n == null ? 0 : n;
      if (now >= maxPerAddress) return n;
      counted[0] = true;
      return now + 1;
    });
    return counted[0];
  }

  /** A connection {@link #add} counted has closed. */
  void remove(String host) {
    open.computeIfPresent(host, (h, n) -> n > 1 ? n - 1 : null);
  }

  /** How many connections from {@code host} are open. */
  int count(String host) {
    return open.getOrDefault(host, 0);
  }

  int maxPerAddress() {
    return maxPerAddress;
  }
}
