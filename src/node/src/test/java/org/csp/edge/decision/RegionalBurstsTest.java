package org.csp.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/**
 * Regional burst detection on one member: one code from many hubs at once is grouped; below the regional rate
 * alerts pass singly; each member trips at its share of the regional threshold.
 */
class RegionalBurstsTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("regionalDetection", "threshold").put("regionalThreshold", 20).put("regionalWindow", "10s")
          .put("regionalRelease", 5).put("groupWait", "2s"))
      .put("maxHubsPerGroup", 30));
  private static final CodePolicy CODE = POLICY.forCode("8F12");

  private final AtomicInteger members = new AtomicInteger(1);
  private final RegionalBursts bursts = new RegionalBursts(members::get);
  private final List<RegionalEvent> notices = new ArrayList<>();
  private long now = 1_700_000_000_000L;

  {
    bursts.noticesTo(notices::add);
  }

  private static String hub(int i) {
    return String.format("00-1B-C5-0C-00-00-%02X-%02X", i / 256, i % 256);
  }

  @Test
  void belowTheRegionalRateAlertsPassSingly() {
    for (int i = 0; i < 15; i++) {
      assertFalse(bursts.group("8F12", hub(i), now, CODE));
      now += 500;
    }
    assertTrue(notices.isEmpty());
  }

  @Test
  void aBurstIsGroupedFromTheThresholdOn() {
    int grouped = 0;
    for (int i = 0; i < 100; i++) {
      if (bursts.group("8F12", hub(i), now, CODE)) grouped++;
      now += 10;
    }
    assertEquals(81, grouped, "the first 19 pass singly; from the 20th the region is bursting");
    RegionalEvent.Started started = assertInstanceOf(RegionalEvent.Started.class, notices.get(0));
    assertEquals(20, started.threshold());
    assertEquals(1, bursts.bursting());
  }

  @Test
  void eachOfThreeMembersTripsAtItsShareOfTheThreshold() {
    members.set(3);
    int passed = 0;
    while (!bursts.group("8F12", hub(passed), now, CODE)) {
      passed++;
      now += 10;
    }
    assertEquals(6, passed, "ceil(20 / 3) = 7: the 7th alert on this member starts grouping");
    assertEquals(7, ((RegionalEvent.Started) notices.get(0)).threshold());
  }

  @Test
  void theBurstEndsWhenTheRegionQuietens() {
    for (int i = 0; i < 40; i++) {
      bursts.group("8F12", hub(i), now, CODE);
      now += 10;
    }
    assertEquals(1, bursts.bursting());
    now += 25_000;
    List<RegionalEvent> ended = new ArrayList<>();
    bursts.settle(now, POLICY, ended);
    RegionalEvent.Ended end = assertInstanceOf(RegionalEvent.Ended.class, ended.get(0));
    assertEquals(21, end.totalGrouped(), "alerts 20 to 40 were grouped on this member");
    assertEquals(0, bursts.bursting());
  }
}
