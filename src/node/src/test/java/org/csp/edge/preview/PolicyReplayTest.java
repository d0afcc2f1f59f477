package org.csp.edge.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;
import org.csp.edge.config.PolicyDocument;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.TestAlerts;
import org.junit.jupiter.api.Test;

class PolicyReplayTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final int STORM = 40;

  private static JsonObject document() {
    return new JsonObject().put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s")
        .put("releaseThreshold", 2).put("quietPeriod", "2s").put("summaryPeriod", "1s")
        .put("regionalDetection", "threshold").put("regionalThreshold", 10_000).put("regionalRelease", 10));
  }

  /** One hub's storm of 8F3E (40 alerts from 4 devices over 4 s), recorded as the intake records it. */
  private static RecentTraffic.Snapshot recordedStorm() {
    RecentTraffic traffic = new RecentTraffic(10_000, 3_600_000, 60);
    for (int i = 0; i < STORM; i++) {
      long at = T0 + i * 100L;
      Alert a = TestAlerts.alert(TestAlerts.HUB, "00-1B-C5-0C-00-00-01-0" + (i % 4), "8F3E", 1000 + i, at);
      traffic.record(List.of(a), at);
    }
    return traffic.snapshot(T0 + 60_000);
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void aStormIsSummarisedUnderTheCurrentPolicyAndForwardedWhenTheCodeIsInForwardMode() {
    RecentTraffic.Snapshot s = recordedStorm();
    assertEquals(STORM, s.alerts().size());
    assertEquals(1.0, s.sampled());
    AlertPolicy current = PolicyDocument.check(document());
    AlertPolicy proposed = PolicyDocument.check(document().put("codes", new JsonObject().put("8F3E", new JsonObject().put("mode", "forward"))));
    long deadline = System.nanoTime() + 10_000_000_000L;

    PolicyReplay.Outcome now = PolicyReplay.replay(s.alerts(), s.to(), current, 1, deadline);
    assertEquals(Map.of("8F3E", 1L), now.storms());
    assertEquals(1L, now.events().get("storm-start"));
    assertEquals(1L, now.events().get("storm-end"), "the storm went quiet before the window's end");
    assertTrue(now.events().get("summary") >= 1, now.events().toString());
    long forwarded = now.verdicts().getOrDefault("forward", 0L);
    assertEquals(forwarded, now.events().getOrDefault("alert", 0L));
    assertEquals(now.verdicts().get("consolidated"), now.alertsInSummaries(), "every consolidated alert is in a summary");
    assertEquals(STORM, forwarded + now.alertsInSummaries(), "the accounting holds: " + now);
    assertEquals(STORM, sum(now.verdicts()));

    PolicyReplay.Outcome then = PolicyReplay.replay(s.alerts(), s.to(), proposed, 1, deadline);
    assertEquals(Map.of("forward", (long) STORM), then.verdicts());
    assertEquals(Map.of("alert", (long) STORM), then.events());
    assertEquals(Map.of(), then.storms());
    assertEquals(0, then.alertsInSummaries());
  }

  @Test
  void aReplayPastItsDeadlineStops() {
    RecentTraffic.Snapshot s = recordedStorm();
    try {
      PolicyReplay.replay(s.alerts(), s.to(), AlertPolicy.DEFAULTS, 1, System.nanoTime() - 1);
      throw new AssertionError("the replay ran past its deadline");
    } catch (PolicyReplay.TooLong expected) {
      assertTrue(expected.getMessage().contains("0 of " + STORM), expected.getMessage());
    }
  }

  /** A summary every millisecond makes a storming hub due 3,000,000 times in the replayed 50 minutes: that stops too. */
  @Test
  void aReplayStopsAtItsDeadlineBetweenTwoAlertsToo() {
    RecentTraffic traffic = new RecentTraffic(10_000, 3_600_000, 60);
    for (int i = 0; i < STORM; i++) {
      long at = T0 + i * 100L;
      traffic.record(List.of(TestAlerts.alert(TestAlerts.HUB, "00-1B-C5-0C-00-00-01-0" + (i % 4), "8F3E", 1000 + i, at)), at);
    }
    RecentTraffic.Snapshot s = traffic.snapshot(T0 + 3_000_000);
    AlertPolicy everyMillisecond = PolicyDocument.check(document().put("defaults", document().getJsonObject("defaults").copy()
        .put("summaryPeriod", "1ms").put("quietPeriod", "24h")));
    try {
      PolicyReplay.replay(s.alerts(), s.to(), everyMillisecond, 1, System.nanoTime() + 50_000_000L);
      throw new AssertionError("the replay ran past its deadline");
    } catch (PolicyReplay.TooLong expected) {
      assertTrue(expected.getMessage().contains("of " + STORM), expected.getMessage());
    }
  }
}
