package org.csp.edge.security;

/**
 * When refusals on one connection "persist": a refusal starts a streak, a quiet spell of {@code quietNanos} ends
 * it, and a streak as long as {@code dropAfterNanos} means the connection should be dropped. Not thread-safe.
 */
final class AbuseClock {
  private static final long QUIET_NANOS = 1_000_000_000L;
  private final long dropAfterNanos;
  private long streakStart = -1;
  private long lastRefusal;

  AbuseClock(long dropAfterNanos) {
    this.dropAfterNanos = dropAfterNanos;
  }

  /** Records a refusal; true when the streak has lasted long enough to drop the connection. */
  boolean refused(long nowNanos) {
    if (streakStart < 0 || nowNanos - lastRefusal > QUIET_NANOS) streakStart = nowNanos;
    lastRefusal = nowNanos;
    return nowNanos - streakStart >= dropAfterNanos;
  }
}
