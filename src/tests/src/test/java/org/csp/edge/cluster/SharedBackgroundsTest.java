package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.RegionalBursts;
import org.junit.jupiter.api.Test;

/**
 * A member that joins a real cluster while the region bursts (operators add members in a storm) starts from the
 * backgrounds the others learned, scaled to its share of the hubs, and groups its share of the burst from its first
 * window; started as before, it would learn the burst as its background and forward it.
 */
class SharedBackgroundsTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject());
  private static final CodePolicy CODE = POLICY.forCode("8F12");
  private static final long WINDOW = CODE.regionalWindow().toMillis();
  private static final String HUB = "00-1B-C5-0C-00-00-00-01";
  /** The burst on the joining member: ten times its share of the background (400 a window). */
  private static final int BURST = 4_000;

  @Test
  void aMemberJoiningDuringABurstGroupsItsShareFromItsFirstWindow() throws Exception {
    try (BareCluster cluster = BareCluster.start("backgrounds", 3, Map.of(), Map.of())) {
      long now = 1_700_000_000_000L;
      // Two members ran through their warm-up and learned the region's background, 600 alerts a window each.
      for (int m = 0; m < 2; m++) {
        RegionalBursts learning = cluster.registry(m).regional();
        long t = now;
        for (long w = 0; w < 10; w++) t = window(learning, t, 600);
        Map<String, Double> learned = learning.learned(t, POLICY);
        assertEquals(600, learned.get("8F12"), 1, "member " + m + " learned its share of the background");
        new SharedBackgrounds(cluster.members().get(m)).publishOwn(new SharedBackgrounds.Learned(learned, 2, t),
            Duration.ofSeconds(10));
      }

      // The third member starts now, during a burst of ten times the background: it takes a third of the region's.
      Collection<SharedBackgrounds.Learned> others = new SharedBackgrounds(cluster.members().get(2)).readOthers();
      assertEquals(2, others.size(), "both other members' records");
      Map<String, Double> share = SharedBackgrounds.shareOf(others, 3);
      assertEquals(400, share.get("8F12"), 1, "1,200 a window across the region, a third of it here");
      RegionalBursts joined = cluster.registry(2).regional();
      joined.seed(share);
      long start = now + 3_600_000;
      long burst = grouped(joined, start, BURST) + grouped(joined, start + WINDOW, BURST);
      assertTrue(burst > 0.7 * 2 * BURST, "its share of the burst grouped from its first window (4 x 400 reached): " + burst);

      // The control: the same member warming up instead learns the burst and forwards it.
      RegionalBursts warming = new RegionalBursts(() -> 3);
      long t = start;
      for (long w = 0; w < 7; w++) t = window(warming, t, BURST);
      assertEquals(0, grouped(warming, t, BURST), "unseeded: the burst is its background by the end of the warm-up");
    }
  }

  /** One window of {@code alerts} spread evenly; returns the time after it. */
  private static long window(RegionalBursts bursts, long from, int alerts) {
    grouped(bursts, from, alerts);
    return from + WINDOW;
  }

  private static long grouped(RegionalBursts bursts, long from, int alerts) {
    long step = WINDOW / alerts;
    long grouped = 0;
    for (int i = 0; i < alerts; i++) if (bursts.group("8F12", HUB, from + i * step, CODE)) grouped++;
    return grouped;
  }
}
