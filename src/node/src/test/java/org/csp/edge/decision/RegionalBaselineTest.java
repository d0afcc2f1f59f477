package org.csp.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/**
 * Regional detection against a learned background (the default), on one member, on a hand-moved clock: a region's
 * steady background at 20,000 alerts/s is forwarded, a burst on top of it is grouped and does not raise its own bar,
 * a slow ramp is followed, and a code that was silent bursts at the floor as the fixed threshold did.
 */
class RegionalBaselineTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject());
  private static final CodePolicy CODE = POLICY.forCode("8F12");
  private static final String HUB = "00-1B-C5-0C-00-00-00-01";
  /** The clock moves in steps of this; every step brings the alerts of its share of the second. */
  private static final long STEP_MILLIS = 10;

  private final RegionalBursts bursts = new RegionalBursts(() -> 1);
  private final List<RegionalEvent> notices = new ArrayList<>();
  private long now = 1_700_000_000_000L;

  {
    bursts.noticesTo(notices::add);
  }

  /** Sends {@code perSecond} alerts a second for {@code seconds}, evenly; returns how many were grouped. */
  private long send(double perSecond, long seconds) {
    return ramp(perSecond, perSecond, seconds);
  }

  /** The rate goes linearly from {@code from} to {@code to} alerts a second over {@code seconds}. */
  private long ramp(double from, double to, long seconds) {
    long grouped = 0;
    double owed = 0;
    long steps = seconds * 1000 / STEP_MILLIS;
    for (long i = 0; i < steps; i++) {
      double rate = from + (to - from) * i / steps;
      owed += rate * STEP_MILLIS / 1000.0;
      for (; owed >= 1; owed--) if (bursts.group("8F12", HUB, now, CODE)) grouped++;
      now += STEP_MILLIS;
    }
    return grouped;
  }

  @Test
  void theDefaultIsTheLearnedBaseline() {
    assertEquals(RegionalDetection.Mode.BASELINE, CODE.regional().mode());
  }

  @Test
  void aSteadyBackgroundOf20000AlertsASecondIsForwardedAndABurstOnTopIsGrouped() {
    assertEquals(0, send(20_000, 600), "ten minutes of steady background: nothing grouped, warm-up or not");
    assertTrue(notices.isEmpty());
    assertEquals(200_000, bursts.background("8F12"), 200, "the background learned: alerts per 10 s window");

    long burst = send(20_000 + 100_000, 60);
    assertTrue(burst > 0.9 * 120_000 * 60, "a burst of 100,000/s on top is grouped (all but its first moments): " + burst);
    RegionalEvent.Started started = assertInstanceOf(RegionalEvent.Started.class, notices.get(0));
    assertEquals(800_000, started.threshold(), 1_000, "4 x the background within the window");

    long after = send(20_000, 60);
    assertTrue(after < 20_000 * 20, "the burst ends within two windows of its end: " + after);
    assertInstanceOf(RegionalEvent.Ended.class, notices.get(1));
    assertEquals(0, send(20_000, 600), "the background afterwards is forwarded again");
    assertEquals(2, notices.size());
    assertEquals(200_000, bursts.background("8F12"), 10_000, "the minute of burst hardly moved the background");
  }

  @Test
  void aSlowRampIsFollowedNotTakenForABurst() {
    send(200, 600);
    assertEquals(0, ramp(200, 2_000, 2 * 3600), "ten times the rate over two hours");
    assertTrue(notices.isEmpty());
    assertTrue(bursts.background("8F12") > 12_000, "the background followed: " + bursts.background("8F12"));
    assertTrue(send(2_000 * 5, 30) > 0, "and a burst on the new level is still seen");
  }

  @Test
  void aSilentCodeBurstsAtTheFloorAsTheFixedThresholdDid() {
    send(1, 120);
    now += 30_000;
    long grouped = 0;
    for (int i = 0; i < 1_000; i++) {
      if (bursts.group("8F12", HUB, now, CODE)) grouped++;
      now += 1;
    }
    assertEquals(1_000 - 199, grouped, "200 within the window: the floor, regionalThreshold");
  }

  @Test
  void whileWarmingUpTheMemberOnlyLearns() {
    assertEquals(0, send(1_000, 59), "the first minute: a busy region's traffic is not a burst on a new member");
    assertEquals(0, send(1_000, 120));
    assertTrue(send(1_000 * 6, 30) > 0, "after the warm-up, six times the background is");
  }

  @Test
  void aMemberStartedDuringABurstLearnsTheBurstAsItsBackgroundAndForwardsIt() {
    // Why a member starts from the region's backgrounds (seed): warming up in a storm, it takes the storm for the norm.
    assertEquals(0, send(20_000 + 100_000, 60 + 60), "warm-up and a minute after, in the middle of the burst");
    assertTrue(bursts.background("8F12") > 1_000_000, "the burst learned as the background: " + bursts.background("8F12"));
  }

  @Test
  void aCodeFirstSeenInABurstDoesNotLearnTheBurstAsItsBackground() {
    for (int s = 0; s < 120; s++) { // past the warm-up on other codes' traffic; 8F12 never seen
      bursts.group("8F13", HUB, now, CODE);
      now += 1_000;
    }
    assertTrue(send(1_000, 60) > 0, "a burst of a code the region never sent is grouped");
    assertTrue(bursts.background("8F12") < CODE.regionalThreshold(),
        "and is not learned as its background: " + bursts.background("8F12"));
    send(1, 60); // over
    Double learned = bursts.learned(now, POLICY).get("8F12");
    RegionalBursts restarted = new RegionalBursts(() -> 1);
    restarted.seed(java.util.Map.of("8F12", learned));
    long grouped = 0;
    for (int i = 0; i < 10_000; i++, now += 1) if (restarted.group("8F12", HUB, now, CODE)) grouped++;
    assertTrue(grouped > 9_000, "the same burst again, after a restart seeded with what was learned: " + grouped
        + " grouped (background " + learned + ")");
  }

  @Test
  void aMemberSeededWithTheRegionsBackgroundGroupsABurstUnderWayFromItsFirstWindow() {
    bursts.seed(java.util.Map.of("8F12", 200_000.0));
    long burst = send(20_000 + 100_000, 60);
    assertEquals(120_000 * 60 - 800_000, burst, 1_000, "no warm-up: all but the alerts that reach 4 x the background");
    RegionalEvent.Started started = assertInstanceOf(RegionalEvent.Started.class, notices.get(0));
    assertEquals(800_000, started.threshold(), 1_000, "4 x the seeded background within the window");
    send(20_000, 60); // the burst ends within two windows
    assertEquals(0, send(20_000, 600), "and the background alone is forwarded afterwards");
  }

  @Test
  void aMemberSpeaksForTheRegionOnlyPastItsWarmUp() {
    assertEquals(null, bursts.learned(now, POLICY), "nothing decided yet: nothing known");
    send(1_000, 30);
    assertEquals(null, bursts.learned(now, POLICY), "warming up: what it has is not a background yet");
    send(1_000, 60);
    assertEquals(10_000, bursts.learned(now, POLICY).get("8F12"), 100, "past it: alerts per window");
  }

  @Test
  void aLastingChangeOfLevelIsLearnedAtTheBurstHalfLife() {
    send(40, 600);
    assertTrue(send(400, 600) > 0, "ten times the level: a burst at first");
    send(400, 12 * 3600);
    assertEquals(0, send(400, 600), "twelve hours on: the new level is the background, the burst over");
    assertInstanceOf(RegionalEvent.Ended.class, notices.get(notices.size() - 1));
  }

  @Test
  void theFixedThresholdStaysAnOption() {
    CodePolicy fixed = PolicyJson.read(new JsonObject().put("defaults", new JsonObject().put("regionalDetection", "threshold")))
        .forCode("8F12");
    long grouped = 0;
    for (int i = 0; i < 1_000; i++) {
      if (bursts.group("8F12", HUB, now, fixed)) grouped++;
      now += 20;
    }
    assertEquals(1_000 - 199, grouped, "50 alerts a second reach 200 in 10 s: grouped from then on, from the first second");
  }
}
