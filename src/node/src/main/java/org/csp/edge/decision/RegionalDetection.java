package org.csp.edge.decision;

import java.time.Duration;

/**
 * How a code's regional burst is detected (src/docs/design.md, "Regional detection").
 *
 * <p>{@link Mode#BASELINE} (the default): each member learns the code's background, the alerts it sees per
 * {@code regionalWindow} from hubs not in storm, as an exponentially weighted mean with half-life {@code halfLife}. The
 * code bursts when the window's count reaches both the floor ({@code regionalThreshold}, this member's share) and
 * {@code factor} times the background; it ends when a whole window sees fewer than both {@code regionalRelease} (its
 * share) and {@code releaseFactor} times the background. Windows in which the code burst teach the background only at
 * the slow {@code burstHalfLife}, so a burst is not absorbed while a lasting change of level still is, eventually.
 * For its first {@code warmUp} a member only learns: it has no background yet, and would otherwise take a busy
 * region's steady traffic for a burst.
 *
 * <p>{@link Mode#THRESHOLD}: the fixed figures alone ({@code regionalThreshold}, {@code regionalRelease}); the rest
 * is unused.
 */
public record RegionalDetection(
    Mode mode, double factor, double releaseFactor, Duration halfLife, Duration burstHalfLife, Duration warmUp) {

  public enum Mode {
    BASELINE,
    THRESHOLD;

    public String wireName() {
      return name().toLowerCase();
    }
  }

  /** Production defaults: src/docs/design.md, "Regional detection", says why these values. */
  public static final RegionalDetection DEFAULTS = new RegionalDetection(
      Mode.BASELINE, 4.0, 2.0, Duration.ofMinutes(30), Duration.ofHours(6), Duration.ofMinutes(1));

  /** What a policy without these settings meant (a release before them): the fixed threshold. */
  public static final RegionalDetection FIXED = new RegionalDetection(
      Mode.THRESHOLD, DEFAULTS.factor, DEFAULTS.releaseFactor, DEFAULTS.halfLife, DEFAULTS.burstHalfLife, DEFAULTS.warmUp);

  public RegionalDetection {
    if (mode == null) throw new IllegalArgumentException("regionalDetection must be 'baseline' or 'threshold'");
    if (!(releaseFactor > 1.0)) {
      throw new IllegalArgumentException("regionalReleaseFactor must be above 1 (the background alone would hold a burst), was " + releaseFactor);
    }
    if (!(factor >= releaseFactor)) {
      throw new IllegalArgumentException("regionalFactor must be at least regionalReleaseFactor (" + releaseFactor + "), was " + factor);
    }
    if (halfLife.isNegative() || halfLife.isZero()) throw new IllegalArgumentException("regionalHalfLife must be positive");
    if (burstHalfLife.compareTo(halfLife) < 0) {
      throw new IllegalArgumentException("regionalBurstHalfLife must be at least regionalHalfLife (" + halfLife + ")");
    }
    if (warmUp.isNegative()) throw new IllegalArgumentException("regionalWarmUp must not be negative");
  }

  public boolean baseline() {
    return mode == Mode.BASELINE;
  }
}
