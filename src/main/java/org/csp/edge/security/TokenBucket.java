package org.csp.edge.security;

/**
 * A connection's rate: {@code rate} tokens a second up to {@code burst}; each message takes one. Not thread-safe:
 * a connection is served by one event loop. A rate of 0 means no limit.
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = nowNanos;
  }

  /** Takes a token if there is one. */
  public boolean take(long nowNanos) {
    if (ratePerNano == 0) return true;
    long elapsed = nowNanos - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      refilledAt = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Seconds until the next token, at least 1 (for Retry-After). */
  public long secondsToNextToken() {
    if (ratePerNano == 0) return 1;
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / NANOS_PER_SECOND));
  }
}
