package org.csp.edge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Finds the highest rate a hop sustains. From the start rate it doubles the offered rate until a step falls behind
 * (or the maximum is reached); if even the start rate is too much it halves instead, down to a floor. Then it bisects
 * between the highest rate kept up with and the lowest one not, a few times. A step that did not drain ends the
 * search: whatever followed would measure the leftovers.
 */
record RateLadder(double maxRate, int refinements) {
  /** Halving stops this far below the start rate: a hop that cannot take that is reported as sustaining nothing. */
  static final double FLOOR_DIVISOR = 32;

  Climb climb(double startRate, DoubleFunction<StepResult> step) {
    List<StepResult> steps = new ArrayList<>();
    StepResult best = null;
    StepResult failure = null;
    double rate = Math.min(startRate, maxRate);
    StepResult first = step.apply(rate);
    steps.add(first);
    if (first.verdict().keptUp()) {
      best = first;
      while (rate < maxRate) {
        rate = Math.min(rate * 2, maxRate);
        StepResult s = step.apply(rate);
        steps.add(s);
        if (!s.verdict().keptUp()) {
          failure = s;
          break;
        }
        best = s;
      }
    } else {
      failure = first;
      while (failure.drained() && rate / 2 >= startRate / FLOOR_DIVISOR) {
        rate = Math.round(rate / 2);
        StepResult s = step.apply(rate);
        steps.add(s);
        if (s.verdict().keptUp()) {
          best = s;
          break;
        }
        failure = s;
      }
    }
    for (int i = 0; i < refinements && best != null && failure != null && failure.drained(); i++) {
      StepResult s = step.apply(Math.round((best.offered() + failure.offered()) / 2));
      steps.add(s);
      if (s.verdict().keptUp()) best = s;
      else failure = s;
    }
    return new Climb(steps, best, failure);
  }

  /**
   * @param best    the highest step kept up with, or null when none was
   * @param failure the lowest step above it not kept up with, or null when the maximum rate was kept up with
   */
  record Climb(List<StepResult> steps, StepResult best, StepResult failure) {

    /** Alerts per second PUBACKed at the best step; 0 when none was kept up with. */
    double maxSustained() {
      return best == null ? 0 : best.achieved();
    }

    /** True when the hop kept up with the highest rate the run allowed: its real maximum is higher. */
    boolean capped() {
      return best != null && failure == null;
    }

    boolean drained() {
      return steps.isEmpty() || steps.get(steps.size() - 1).drained();
    }
  }
}
