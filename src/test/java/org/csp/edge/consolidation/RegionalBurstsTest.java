package org.csp.edge.consolidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regional bursts: one code from many hubs at once is grouped; below the regional rate alerts pass singly. */
class RegionalBurstsTest {
  private static final AlertPolicy POLICY = AlertPolicy.fromJson(new JsonObject()
      .put("defaults", new JsonObject().put("regionalThreshold", 20).put("regionalWindow", "10s")
          .put("regionalRelease", 5).put("groupWait", "2s"))
      .put("maxHubsPerGroup", 30));
  private static final CodePolicy CODE = POLICY.forCode("8F12");

  private final RegionalBursts bursts = new RegionalBursts(POLICY.maxHubsPerGroup());
  private final List<RegionalEvent> events = new ArrayList<>();
  private long now = 1_700_000_000_000L;

  private static String hub(int i) {
    return String.format("00-1B-C5-0C-00-00-%02X-%02X", i / 256, i % 256);
  }

  @Test
  void belowTheRegionalRateAlertsPassSingly() {
    for (int i = 0; i < 15; i++) {
      assertFalse(bursts.offer("8F12", hub(i), now, CODE, events));
      now += 500;
    }
    assertTrue(events.isEmpty());
  }

  @Test
  void aBurstIsGatheredIntoGroupsThatListEveryHub() {
    int grouped = 0;
    for (int i = 0; i < 100; i++) {
      if (bursts.offer("8F12", hub(i), now, CODE, events)) grouped++;
      now += 10;
    }
    assertEquals(81, grouped, "the first 19 pass singly; from the 20th the region is bursting");
    now += 2_000;
    bursts.settle(now, POLICY, false, events);
    assertInstanceOf(RegionalEvent.Started.class, events.get(0));
    List<RegionalEvent.Group> groups = events.stream().filter(e -> e instanceof RegionalEvent.Group)
        .map(e -> (RegionalEvent.Group) e).toList();
    assertEquals(grouped, groups.stream().mapToInt(RegionalEvent.Group::count).sum());
    assertTrue(groups.stream().allMatch(g -> g.hubs().size() <= 30), "a group never lists more than maxHubsPerGroup hubs");
    assertEquals(grouped, groups.stream().mapToInt(g -> g.hubs().size()).sum(), "one alert per hub: every hub listed");
    assertEquals(0, bursts.held());
  }

  @Test
  void theBurstEndsWhenTheRegionQuietensAndNothingStaysHeld() {
    for (int i = 0; i < 40; i++) {
      bursts.offer("8F12", hub(i), now, CODE, events);
      now += 10;
    }
    assertTrue(bursts.bursting() == 1 && bursts.held() > 0);
    now += 25_000;
    bursts.settle(now, POLICY, false, events);
    RegionalEvent.Ended end = assertInstanceOf(RegionalEvent.Ended.class, events.get(events.size() - 1));
    long groupedInGroups = events.stream().filter(e -> e instanceof RegionalEvent.Group)
        .mapToLong(e -> ((RegionalEvent.Group) e).count()).sum();
    assertEquals(end.totalGrouped(), groupedInGroups);
    assertEquals(0, bursts.bursting());
    assertEquals(0, bursts.held());
  }
}
