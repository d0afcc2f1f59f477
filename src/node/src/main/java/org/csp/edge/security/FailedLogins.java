package org.csp.edge.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Password checks per source address: each address may cause {@code perAddress} failed checks, refilled evenly over
 * {@code window}. A check takes its allowance before it starts and gives it back when the password was right, so
 * only failures count, and a flood of concurrent attempts from one address gets no more checks than its allowance.
 * An address with none left is refused before any hashing and before it takes a place among the pending logins:
 * a flood from one address then costs the login threads nothing and good clients elsewhere still log in.
 * Shared by every MQTT server instance; logins are rare next to messages, so one lock will do.
 */
final class FailedLogins {
  private final double perAddress;
  private final double refillPerNano;
  private final Map<String, Allowance> byAddress = new HashMap<>();

  private static final class Allowance {
    double left;
    long at;
  }

  FailedLogins(int perAddress, Duration window) {
    this.perAddress = perAddress;
    this.refillPerNano = perAddress / (double) window.toNanos();
  }

  /** Takes one check's allowance for {@code address}; false when it has none left (refuse without checking). */
  synchronized boolean begin(String address, long nowNanos) {
    Allowance a = byAddress.computeIfAbsent(address, k -> {
      Allowance fresh = new Allowance();
      fresh.left = perAddress;
      fresh.at = nowNanos;
      return fresh;
    });
    refill(a, nowNanos);
    if (a.left < 1) return false;
    a.left -= 1;
    return true;
  }

  /** The check succeeded: it was no failure, and the allowance it took comes back. */
  synchronized void succeeded(String address) {
    Allowance a = byAddress.get(address);
    if (a != null) a.left = Math.min(perAddress, a.left + 1);
  }

  /** Forgets the addresses back at their full allowance, so that the map holds only recent offenders. */
  synchronized void sweep(long nowNanos) {
    for (Iterator<Allowance> it = byAddress.values().iterator(); it.hasNext(); ) {
      Allowance a = it.next();
      refill(a, nowNanos);
      if (a.left >= perAddress) it.remove();
    }
  }

  synchronized int addresses() {
    return byAddress.size();
  }

  private void refill(Allowance a, long nowNanos) {
    long elapsed = nowNanos - a.at;
    if (elapsed > 0) {
      a.left = Math.min(perAddress, a.left + elapsed * refillPerNano);
      a.at = nowNanos;
    }
  }
}
