package org.csp.edge.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.csp.edge.decision.TestAlerts;
import org.junit.jupiter.api.Test;

class RecentTrafficTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % MINUTE;

  @Test
  void aFullSliceKeepsAUniformSampleAndTheFractionIsStated() {
    RecentTraffic traffic = new RecentTraffic(600, 60 * MINUTE, 60); // 10 alerts a slice
    for (int i = 0; i < 1000; i++) {
      traffic.record(List.of(TestAlerts.alert(TestAlerts.HUB, TestAlerts.GPF, "8F3E", i, T0 + i)), T0 + i);
    }
    RecentTraffic.Snapshot s = traffic.snapshot(T0 + 1000);
    assertEquals(1000, s.seen());
    assertEquals(10, s.alerts().size());
    assertEquals(0.01, s.sampled(), 1e-9);
    for (int i = 1; i < s.alerts().size(); i++) {
      assertTrue(s.alerts().get(i - 1).at() <= s.alerts().get(i).at(), "in arrival order");
    }
    assertEquals("", s.alerts().get(0).alert().payload(), "the payload is not kept");
  }

  @Test
  void alertsOlderThanTheWindowAreForgotten() {
    RecentTraffic traffic = new RecentTraffic(600, 60 * MINUTE, 60);
    traffic.record(List.of(TestAlerts.alert(TestAlerts.HUB, TestAlerts.GPF, "8F3E", 1, T0)), T0);
    long later = T0 + 61 * MINUTE;
    traffic.record(List.of(TestAlerts.alert(TestAlerts.HUB, TestAlerts.GPF, "8F3E", 2, later)), later);
    RecentTraffic.Snapshot s = traffic.snapshot(later);
    assertEquals(1, s.seen());
    assertEquals(2, s.alerts().get(0).alert().originatorCounter());
    assertEquals(later, s.from(), "the window starts at the oldest slice it holds");
    assertEquals(0, traffic.snapshot(later + 61 * MINUTE).seen());
  }
}
