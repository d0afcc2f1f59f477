package org.csp.edge.decision;

/**
 * One code's learned background on this member: the alerts it sees per regional window, as an exponentially
 * weighted mean over tumbling windows. Windows in which the code burst are learned at the slow burst half-life, so
 * a burst does not raise its own bar. O(1) per alert: a count; the mean moves only when a window closes.
 *
 * <p>The mean starts at 0 with no weight and is read divided by the weight learned so far, so that it is the
 * plain mean of the first windows and not dragged towards 0 by the windows before the member existed.
 */
final class CodeBackground {
  private static final long UNSET = Long.MIN_VALUE;
  private static final double LN2 = Math.log(2);

  private long windowStart = UNSET;
  private long count;
  private boolean burstWindow;
  private double mean;
  private double weight;

  /**
   * Closes the windows that ended by {@code now}, learning each: at the burst half-life when the code burst in it
   * (unless {@code warmingUp}: then every window is background), else at the half-life. A burst still on goes on
   * marking the window that starts.
   */
  void advance(long now, long window, RegionalDetection rules, boolean warmingUp, boolean bursting) {
    if (windowStart == UNSET) {
      windowStart = now - Math.floorMod(now, window);
      return;
    }
    if (now < windowStart + window) return;
    long closed = (now - windowStart) / window;
    boolean burst = burstWindow && !warmingUp;
    // A code whose first window past the warm-up is a burst had no alert before it: its background is a known 0, not
    // nothing yet. Read as mean / weight from no weight, that first window would be learned whole and the burst would
    // raise its own bar at once (and be kept as the region's background, seeding the next start).
    if (burst && weight == 0) weight = 1;
    learn(count, keep(window, burst ? rules.burstHalfLife().toMillis() : rules.halfLife().toMillis()), 1);
    // The windows after it saw nothing from this code: zeros, learned in one step.
    if (closed > 1) learn(0, keep(window, rules.halfLife().toMillis()), closed - 1);
    windowStart += closed * window;
    count = 0;
    burstWindow = bursting;
  }

  void count() {
    count++;
  }

  /** The code bursts in the window under way. */
  void bursting() {
    burstWindow = true;
  }

  /**
   * Starts from {@code perWindow} learned elsewhere (the region's other members, or this node before a restart), as
   * fully learned: the windows that follow move it at the half-life, as if this member had seen the earlier ones.
   */
  void seed(double perWindow) {
    mean = perWindow;
    weight = 1;
  }

  /** The learned alerts per window; 0 before the first window closed. */
  double background() {
    return weight > 0 ? mean / weight : 0;
  }

  /** What a window keeps of the mean: 2^(-window / halfLife). */
  private static double keep(long window, double halfLife) {
    return Math.exp(-LN2 * window / halfLife);
  }

  /** {@code windows} windows of {@code seen} alerts each, every one keeping {@code keep} of what was learned. */
  private void learn(long seen, double keep, long windows) {
    double kept = windows == 1 ? keep : Math.pow(keep, windows);
    mean = mean * kept + seen * (1 - kept);
    weight = weight * kept + (1 - kept);
  }
}
