package org.csp.edge.security;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for a kind of event, so that a flood of bad logins or hostile connections
 * cannot flood the log too; the line says how many were left out. The counts stay exact in the metrics.
 */
public final class LogLimiter {
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public LogLimiter(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** -1 when this event should not be logged; else how many were left out since the last line. */
  public long admit(long nowNanos) {
    long next = nextAt.get();
    if ((next == Long.MIN_VALUE || nowNanos - next >= 0) && nextAt.compareAndSet(next, nowNanos + intervalNanos)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }

  /** A value from a client, fit for a log line: printable, and short. */
  static String printable(String s, int max) {
    if (s == null) return "-";
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > max) b.append("...");
    return b.toString();
  }
}
