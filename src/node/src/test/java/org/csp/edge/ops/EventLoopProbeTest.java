package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The worst event-loop delay is kept over a sliding window: reading it changes nothing, and it ages out. */
class EventLoopProbeTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void twoReadersSeeTheSameWorstDelayUntilItLeavesTheWindow() {
    EventLoopProbe.Readings r = new EventLoopProbe.Readings(Duration.ofSeconds(60));
    long t = 1_000 * SECOND;
    r.record(3 * SECOND / 10, t);
    r.record(SECOND / 10, t + 20 * SECOND);
    assertEquals(3 * SECOND / 10, r.worstRecentDelayNanos(t + 30 * SECOND));
    assertEquals(3 * SECOND / 10, r.worstRecentDelayNanos(t + 30 * SECOND), "a read does not reset it");
    assertEquals(SECOND / 10, r.worstRecentDelayNanos(t + 61 * SECOND), "the 0.3 s stall has left the window");
    assertEquals(0, r.worstRecentDelayNanos(t + 90 * SECOND), "and so has the 0.1 s one");
  }
}
