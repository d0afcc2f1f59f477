package org.csp.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule hub storms and regional bursts share: start at the threshold, end after a whole quiet window. */
class StormWindowTest {
  private static final long WINDOW = 10_000;
  private static final int THRESHOLD = 3;
  private static final int RELEASE = 2;

  private final StormWindow storm = new StormWindow();
  private long now = 1_700_000_000_000L;

  /** One alert at {@code now}, as both users count it: into the rate, and into the quiet window while in storm. */
  private boolean alert() {
    boolean started = storm.starts(storm.record(now, WINDOW), THRESHOLD);
    if (started) storm.startStorm(now);
    if (storm.inStorm()) storm.countInStorm();
    return started;
  }

  /** Closes the quiet windows over at {@code now}; the end of the storm, or -1 while it lasts. */
  private long settle() {
    while (storm.quietWindowOver(now, WINDOW)) {
      long end = storm.quietWindowEnd(WINDOW);
      if (storm.closeQuietWindow(WINDOW, RELEASE)) return end;
    }
    return -1;
  }

  @Test
  void startsAtTheThresholdAndOnlyOnce() {
    assertFalse(alert());
    assertFalse(alert());
    assertTrue(alert(), "the third alert within the window reaches the threshold");
    assertFalse(alert(), "already in storm: no second start");
    assertTrue(storm.inStorm());
  }

  @Test
  void endsAtTheEndOfTheFirstWholeQuietWindowWithFewerThanTheRelease() {
    for (int i = 0; i < 3; i++) alert();
    long started = now;
    now = started + WINDOW - 1;
    alert(); // the first window saw 2 (the third alert and this one): not quiet
    now = started + WINDOW + 1;
    assertEquals(-1, settle(), "the first window is over and was busy enough");
    alert(); // one in the second window: fewer than the release
    now = started + 3 * WINDOW;
    assertEquals(started + 2 * WINDOW, settle(), "ends where the quiet window ended, not when it is noticed");
    assertFalse(storm.inStorm());
    assertFalse(storm.quietWindowOver(now + 10 * WINDOW, WINDOW), "calm: nothing to close");
  }
}
