package org.csp.edge.security;

/**
 * A connection's rate: {@code rate} tokens a second up to {@code burst}; each message takes one. Not thread-safe:
 * a connection is served by one event loop. A rate of 0 means no limit.
 *
 * <p>Two ways to use it: {@link #take} refuses a message when no token is left (HTTP: 429); {@link #reserve} lets
 * the message run into debt and says how long its sender must wait to be back within the rate (MQTT QoS 1/2: the
 * PUBACK waits that long, which paces any client with a bounded in-flight window without refusing anything).
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
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /**
   * Takes a token, borrowing it when none is left: 0 when the message is within the rate, else the nanoseconds
   * until the debt is repaid. Returns -1, and takes nothing, when that would put the bucket more than
   * {@code burst} tokens into debt: a sender so far ahead is not waiting for its acknowledgements.
   */
  public long reserve(long nowNanos) {
    if (ratePerNano == 0) return 0;
    refill(nowNanos);
    if (tokens - 1 < -burst) return -1;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      refilledAt = nowNanos;
    }
  }

  /** Seconds until the next token, at least 1 (for Retry-After). */
  public long secondsToNextToken() {
    if (ratePerNano == 0) return 1;
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / NANOS_PER_SECOND));
  }
}
