package org.csp.edge.decision;

/**
 * The one rule by which both a hub's storm on a code ({@link CodeStorm}) and a regional burst on a code
 * ({@link RegionalBursts}) start and end: a storm starts when the rate within the window reaches the threshold;
 * once started it is judged over tumbling quiet windows from its start, and ends at the end of the first whole
 * window that saw fewer than the release threshold. Each caller brings its own figures (a hub's storm window,
 * quiet period and thresholds; the region's window and its member's share of the thresholds).
 *
 * <p>It is its own rate window, and the quiet window costs a long and an int: a hub and code is still one object
 * while unpacked, and nothing of this is packed (a packed hub and code is never in storm).
 */
class StormWindow extends RateWindow {
  /** {@link #quietSince} when not in storm. */
  private static final long CALM = Long.MIN_VALUE;

  /** Start of the quiet window under way; {@link #CALM} when not in storm. */
  private long quietSince = CALM;
  /** Alerts counted in the quiet window under way. */
  private int quietCount;

  /** Whether a rate of {@code estimate} starts a storm: not in one, and at or over {@code threshold}. */
  final boolean starts(double estimate, int threshold) {
    return !inStorm() && estimate >= threshold;
  }

  /** The storm starts at {@code now}: its first quiet window too. */
  final void startStorm(long now) {
    quietSince = now;
    quietCount = 0;
  }

  final boolean inStorm() {
    return quietSince != CALM;
  }

  /** One alert counted in the storm's quiet window under way. */
  final void countInStorm() {
    quietCount++;
  }

  /** Whether the quiet window under way is over at {@code now} (false when not in storm). */
  final boolean quietWindowOver(long now, long quietWindow) {
    return inStorm() && now >= quietSince + quietWindow;
  }

  /** When the quiet window under way ends. */
  final long quietWindowEnd(long quietWindow) {
    return quietSince + quietWindow;
  }

  /**
   * Closes the quiet window that is over: with fewer than {@code release} alerts in it the storm ends at its end
   * (returns true, not in storm any more); otherwise the next window starts where it ended.
   */
  final boolean closeQuietWindow(long quietWindow, int release) {
    if (quietCount < release) {
      quietSince = CALM;
      quietCount = 0;
      return true;
    }
    quietSince += quietWindow;
    quietCount = 0;
    return false;
  }

  /** Ends the storm now, whatever its quiet window holds (a member that stops ends its regional bursts). */
  final void endStorm() {
    quietSince = CALM;
    quietCount = 0;
  }

  // The cluster's serialized form (org.csp.edge.cluster.state).

  final long quietSince() {
    return quietSince;
  }

  final int quietCount() {
    return quietCount;
  }

  /** The quiet window of an open storm as another member had it. */
  final void restoreQuietWindow(long since, int count) {
    quietSince = since;
    quietCount = count;
  }
}
