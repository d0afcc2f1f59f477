package org.csp.edge.decision;

import static org.csp.edge.decision.TestAlerts.ESME;
import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/** The per-hub decisions, driven by a hand-moved clock: thresholds, release, summary periods, duplicates, exemptions. */
class HubStateTest {
  /** Storm at 5 alerts within 10 s; released by fewer than 2 in a 30 s quiet window; summary every 20 s. */
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("releaseThreshold", 2)
          .put("quietPeriod", "30s").put("summaryPeriod", "20s"))
      .put("codes", new JsonObject().put("8F01", new JsonObject().put("mode", "forward")))
      .put("duplicates", new JsonObject().put("retention", "60s").put("perDevice", 8)));

  private final HubState hub = new HubState();
  private long now = 1_700_000_000_000L;
  private long counter;

  private long operation;

  /** One operation's answer, as the receiving node and the hub's owner see it. */
  private record Result(byte[] verdicts, List<HubEvent> raised, boolean storming) {
    Verdict verdict(int i) {
      return Verdict.of(verdicts[i]);
    }

    /** Storm notices and summaries raised (forwarded alerts aside). */
    List<StormEvent> events() {
      return raised.stream().filter(e -> e instanceof StormEvent).map(e -> (StormEvent) e).toList();
    }

    long sinceLast() {
      return raised.stream().filter(e -> e instanceof ForwardedAlert).map(e -> (ForwardedAlert) e)
          .reduce((a, b) -> b).orElseThrow().consolidatedSinceLast();
    }
  }

  private Result apply(List<org.csp.edge.alert.Alert> alerts) {
    HubState.Outcome o = hub.apply(HUB, ++operation, alerts, now, POLICY, RegionalGate.NEVER);
    return new Result(o.verdicts(), o.raised(), hub.nextDueAt(POLICY) != Long.MAX_VALUE);
  }

  private Result settle(boolean flush) {
    List<HubEvent> raised = hub.settle(HUB, now, POLICY, flush);
    return new Result(new byte[0], raised, hub.nextDueAt(POLICY) != Long.MAX_VALUE);
  }

  private Result send(String device, String code) {
    return apply(List.of(alert(HUB, device, code, ++counter, now)));
  }

  @Test
  void belowTheThresholdEveryAlertIsForwarded() {
    for (int i = 0; i < 4; i++) {
      Result v = send(GPF, "8F3E");
      assertEquals(Verdict.FORWARD, v.verdict(0));
      assertEquals(0, v.sinceLast());
      assertTrue(v.events().isEmpty());
      assertFalse(v.storming());
      now += 1000;
    }
  }

  @Test
  void reachingTheThresholdStartsOneStormAndConsolidatesTheRest() {
    List<StormEvent> events = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Result v = send(GPF, "8F3E");
      verdicts.add(v.verdict(0));
      events.addAll(v.events());
      now += 100;
    }
    assertEquals(List.of(Verdict.FORWARD, Verdict.FORWARD, Verdict.FORWARD, Verdict.FORWARD), verdicts.subList(0, 4));
    assertTrue(verdicts.subList(4, 12).stream().allMatch(v -> v == Verdict.CONSOLIDATED), verdicts.toString());
    assertEquals(1, events.size());
    StormEvent.Started started = assertInstanceOf(StormEvent.Started.class, events.get(0));
    assertEquals(5, started.threshold());
    assertTrue(started.rate() >= 5);
    assertEquals("8F3E", started.alertCode());
  }

  @Test
  void aStormSendsASummaryEveryPeriodWithPerDeviceCounts() {
    tripStorm();
    for (int i = 0; i < 6; i++) {
      send(i % 2 == 0 ? GPF : ESME, "8F3E");
      now += 1000;
    }
    assertTrue(settle(false).events().isEmpty(), "nothing due before the period ends");
    now += 20_000;
    List<StormEvent> due = settle(false).events();
    StormEvent.Summary s = assertInstanceOf(StormEvent.Summary.class, due.get(0));
    assertEquals(1 + 6, s.count(), "the tripping alert and the six after it");
    assertEquals(4, s.devices().get(GPF).count());
    assertEquals(3, s.devices().get(ESME).count());
    assertEquals(TestAlerts.FAULTY, s.devices().get(GPF).dmc());
    assertEquals(s.periodStart() + 20_000, s.periodEnd());
    assertFalse(s.last());
  }

  @Test
  void aQuietPeriodEndsTheStormWithAFinalSummaryAndTotals() {
    tripStorm();
    send(GPF, "8F3E");
    now += 31_000; // one quiet window with 2 alerts (tripping + one): not fewer than 2, so the storm holds
    Result first = settle(false);
    assertTrue(first.storming());
    List<StormEvent> events = new ArrayList<>(first.events());
    now += 30_000; // a whole window with none: released
    Result settled = settle(false);
    assertFalse(settled.storming());
    events.addAll(settled.events());
    StormEvent.Ended end = (StormEvent.Ended) events.get(events.size() - 1);
    assertEquals(2, end.totalConsolidated());
    assertEquals(1, end.summaries());
    long summarised = events.stream().filter(e -> e instanceof StormEvent.Summary)
        .mapToLong(e -> ((StormEvent.Summary) e).count()).sum();
    assertEquals(2, summarised, "every consolidated alert is in a summary before the storm ends");

    Result next = send(GPF, "8F3E");
    assertEquals(Verdict.FORWARD, next.verdict(0));
    assertEquals(2, next.sinceLast(), "the next forwarded alert tells how many were consolidated since the last");
  }

  @Test
  void releaseIsJudgedAtTheRightTimeEvenWhenTheSweeperIsLate() {
    tripStorm();
    now += 95_000; // three quiet windows late: the storm ended at the end of the first one
    Result v = send(GPF, "8F3E");
    StormEvent.Ended end = v.events().stream().filter(e -> e instanceof StormEvent.Ended)
        .map(e -> (StormEvent.Ended) e).findFirst().orElseThrow();
    assertEquals(end.startedAt() + 30_000, end.endedAt());
    assertEquals(Verdict.FORWARD, v.verdict(0));
  }

  @Test
  void theSameHeaderTwiceIsADuplicateWithinTheRetentionWindow() {
    long c = (1L << 63) + 5; // above Long.MAX_VALUE: the unsigned range must work
    assertEquals(Verdict.FORWARD, apply(List.of(alert(HUB, GPF, "8F3E", c, now))).verdict(0));
    now += 1000;
    assertEquals(Verdict.DUPLICATE, apply(List.of(alert(HUB, GPF, "8F3E", c, now))).verdict(0));
    assertEquals(Verdict.FORWARD, apply(List.of(alert(HUB, ESME, "8F3E", c, now))).verdict(0),
        "another device with the same counter is not a duplicate");
    now += 61_000;
    assertEquals(Verdict.FORWARD, apply(List.of(alert(HUB, GPF, "8F3E", c, now))).verdict(0),
        "after the retention window the counter is forgotten");
  }

  @Test
  void anExemptCodeIsAlwaysForwardedButStillDeduplicated() {
    for (int i = 0; i < 50; i++) {
      Result v = send(GPF, "8F01");
      assertEquals(Verdict.FORWARD, v.verdict(0));
      assertTrue(v.events().isEmpty());
    }
    Result resent = apply(List.of(alert(HUB, GPF, "8F01", counter, now)));
    assertEquals(Verdict.DUPLICATE, resent.verdict(0));
  }

  @Test
  void codesStormIndependently() {
    tripStorm();
    assertEquals(Verdict.FORWARD, send(GPF, "8014").verdict(0));
  }

  @Test
  void flushingOpenPeriodsSummarisesWithoutEndingTheStorm() {
    tripStorm();
    Result flushed = settle(true);
    StormEvent.Summary s = assertInstanceOf(StormEvent.Summary.class, flushed.events().get(0));
    assertEquals(1, s.count());
    assertTrue(flushed.storming());
  }

  @Test
  void everyAlertIsAccountedForExactlyOnceOverARandomRun() {
    Random random = new Random(7);
    long forwarded = 0;
    long duplicates = 0;
    long summarised = 0;
    long consolidated = 0;
    int sent = 0;
    List<StormEvent> events = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      now += random.nextInt(random.nextInt(10) == 0 ? 20_000 : 500);
      String device = random.nextBoolean() ? GPF : ESME;
      String code = random.nextInt(4) == 0 ? "8014" : "8F3E";
      long c = random.nextInt(10) == 0 ? counter : ++counter; // one in ten resends the last header
      Result v = apply(List.of(alert(HUB, device, code, c, now)));
      sent++;
      switch (v.verdict(0)) {
        case FORWARD -> forwarded++;
        case DUPLICATE -> duplicates++;
        case CONSOLIDATED -> consolidated++;
        case GROUPED -> throw new AssertionError("no regional gate here");
      }
      events.addAll(v.events());
      if (random.nextInt(20) == 0) events.addAll(settle(false).events());
    }
    now += Duration.ofHours(1).toMillis();
    events.addAll(settle(false).events());
    for (StormEvent e : events) if (e instanceof StormEvent.Summary s) summarised += s.count();
    assertTrue(consolidated > 1000 && duplicates > 100 && forwarded > 100, Map.of("c", consolidated, "d", duplicates, "f", forwarded).toString());
    assertEquals(consolidated, summarised, "every consolidated alert appears in exactly one summary");
    assertEquals(sent, forwarded + duplicates + summarised);
    long starts = events.stream().filter(e -> e instanceof StormEvent.Started).count();
    long ends = events.stream().filter(e -> e instanceof StormEvent.Ended).count();
    assertEquals(starts, ends, "after a long quiet every storm has ended");
  }

  @Test
  void anOperationRunTwiceAnswersAsTheFirstTimeAndChangesNothing() {
    List<org.csp.edge.alert.Alert> batch = List.of(alert(HUB, GPF, "8F3E", ++counter, now));
    HubState.Outcome first = hub.apply(HUB, 42, batch, now, POLICY, RegionalGate.NEVER);
    HubState.Outcome again = hub.apply(HUB, 42, batch, now, POLICY, RegionalGate.NEVER);
    assertEquals(Verdict.FORWARD, Verdict.of(again.verdicts()[0]), "a retry is not a duplicate header");
    assertEquals(List.of(first.raised().get(0)), hub.waiting(), "and raises nothing twice");
    assertTrue(again.raised().isEmpty());
  }

  @Test
  void raisedEventsWaitInTheStateUntilDelivered() {
    tripStorm();
    List<HubEvent> waiting = hub.waiting();
    assertEquals(5, waiting.size(), "four forwarded alerts and the storm start");
    assertTrue(hub.attention(POLICY).eventsWaiting());
    assertTrue(hub.delivered(java.util.Set.of(waiting.get(0).eventId(), waiting.get(1).eventId())));
    assertEquals(waiting.subList(2, 5), hub.waiting());
    hub.delivered(waiting.stream().map(HubEvent::eventId).collect(java.util.stream.Collectors.toSet()));
    assertTrue(hub.waiting().isEmpty());
    assertFalse(hub.attention(POLICY).eventsWaiting(), "still storming, nothing waiting");
  }

  @Test
  void groupSharesAreSealedOnceReleasedOrUnsealedIdempotently() {
    RegionalGate bursting = (code, h, at, p) -> true;
    for (int i = 0; i < 3; i++) {
      HubState.Outcome o = hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8014", ++counter, now)), now, POLICY, bursting);
      assertEquals(Verdict.GROUPED, Verdict.of(o.verdicts()[0]));
      assertTrue(o.raised().isEmpty(), "a grouped alert raises no event of its own");
      now += 10;
    }
    assertEquals(3, hub.attention(POLICY).openShares().get("8014").count());
    GroupShare sealed = hub.seal("8014", "g1", "member-a");
    assertEquals(3, sealed.count());
    assertEquals(sealed, hub.seal("8014", "g1", "member-a"), "sealing again answers the same share");
    assertEquals(null, hub.seal("8014", "g2", "member-b"), "a share is never sealed into two groups");
    assertTrue(hub.unseal("g1"), "its member died before recording the group: back to the open share");
    assertEquals(3, hub.seal("8014", "g3", "member-b").count());
    assertTrue(hub.releaseSeal("g3"));
    assertFalse(hub.releaseSeal("g3"));
    assertEquals(null, hub.attention(POLICY), "all delivered: nothing left for the owner");
  }

  @Test
  void aLoneOpenShareKeptInThePackedBytesReadsSealsAndSerializesAsBefore() {
    RegionalGate bursting = (code, h, at, p) -> true;
    long start = now;
    for (int i = 0; i < 3; i++) { // under the hub's own storm threshold
      hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8014", ++counter, now)), now, POLICY, bursting);
      now += 7;
    }
    GroupShare open = new GroupShare("8014", 3, start, now - 7);
    now += 60_000; // a later alert of another code, forwarded: the share's times lie before the hub's last alert
    hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8F3E", ++counter, now)), now, POLICY, RegionalGate.NEVER);
    assertEquals(Map.of("8014", open), hub.attention(POLICY).openShares());
    assertTrue(hub.attention(POLICY).sealedInto().isEmpty());
    assertFalse(hub.idleSince(now + 1), "a hub with an open share is never idle");

    HubState.Parts parts = hub.parts();
    assertEquals(Map.of("8014", open), parts.openShares(), "the serialized form lists the share as before");
    byte[] tracking = parts.tracking();
    assertArrayEquals(tracking, HubTracking.unpack(tracking).pack(), "and its tracking bytes are the tracking's alone");
    HubState copy = HubState.of(parts);
    assertArrayEquals(tracking, copy.parts().tracking());
    assertEquals(Map.of("8014", open), copy.parts().openShares());
    assertEquals(now, copy.lastAlertAt());
    for (GroupShare any : List.of(new GroupShare("8F3E", 100_000, now - 3_600_000, now + 5), new GroupShare("8014", 1, now, now),
        new GroupShare("0000", 1, now - 1, now), new GroupShare("FFFF", 2, now, now + 1), new GroupShare("8015", 127, Long.MIN_VALUE, Long.MAX_VALUE))) {
      byte[] folded = PackedShare.fold(tracking, any);
      assertEquals(any, PackedShare.share(folded), "counts and times of any size, fields left out or not");
      assertArrayEquals(tracking, PackedShare.tracking(folded));
    }
    assertEquals(tracking.length + 3, PackedShare.fold(tracking, new GroupShare("8014", 1, now, now)).length,
        "a hub's one alert grouped: its code and a byte");

    assertEquals(null, hub.seal("8015", "g0", "member-a"), "no share of that code: the open one stays");
    assertEquals(Map.of("8014", open), hub.attention(POLICY).openShares());
    assertFalse(hub.releaseSeal("g0"));
    assertFalse(hub.unseal("g0"));
    assertEquals(open, hub.seal("8014", "g1", "member-a"));
    assertEquals(open, hub.seal("8014", "g1", "member-a"), "sealing again answers the same share");
    assertTrue(hub.attention(POLICY).openShares().isEmpty());
    assertTrue(hub.unseal("g1"));
    assertEquals(Map.of("8014", open), hub.attention(POLICY).openShares(), "unsealed: the lone open share again");
    HubState.Outcome retried = hub.apply(HUB, operation, List.of(alert(HUB, GPF, "8F3E", counter, now)), now, POLICY,
        RegionalGate.NEVER);
    assertEquals(Verdict.FORWARD, Verdict.of(retried.verdicts()[0]), "an operation run twice answers as the first run");
    assertEquals(Map.of("8014", open), hub.attention(POLICY).openShares());
    assertEquals(open, hub.seal("8014", "g2", "member-b"));
    assertTrue(hub.releaseSeal("g2"));
    assertTrue(hub.attention(POLICY).openShares().isEmpty() && hub.attention(POLICY).sealedInto().isEmpty(),
        "delivered: only the forwarded alert's event waits");
  }

  @Test
  void sharesOfTwoCodesOpenAtOnceAreCountedSealedAndUnsealedEachUnderItsCode() {
    RegionalGate bursting = (code, h, at, p) -> true;
    long start = now;
    for (String code : List.of("8014", "8014", "8015")) {
      hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, code, ++counter, now)), now, POLICY, bursting);
      now += 10;
    }
    assertEquals(Map.of("8014", new GroupShare("8014", 2, start, start + 10), "8015", new GroupShare("8015", 1, start + 20, start + 20)),
        hub.attention(POLICY).openShares());
    assertEquals(2, hub.seal("8014", "g1", "member-a").count());
    assertEquals(Map.of("8015", new GroupShare("8015", 1, start + 20, start + 20)), hub.attention(POLICY).openShares(),
        "the other code's share stays open");
    hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8015", ++counter, now)), now, POLICY, bursting);
    assertEquals(new GroupShare("8015", 2, start + 20, now), hub.seal("8015", "g2", "member-a"));
    now += 10;
    hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8015", ++counter, now)), now, POLICY, bursting);
    assertTrue(hub.unseal("g1"));
    assertTrue(hub.unseal("g2"), "back into the share opened since, of the same code");
    Map<String, GroupShare> open = Map.of("8014", new GroupShare("8014", 2, start, start + 10),
        "8015", new GroupShare("8015", 3, start + 20, now));
    assertEquals(open, hub.attention(POLICY).openShares());
    assertEquals(open, HubState.of(hub.parts()).attention(POLICY).openShares(), "as the cluster's serialized form restores it");
    assertEquals(3, hub.seal("8015", "g3", "member-b").count());
    assertEquals(2, hub.seal("8014", "g4", "member-b").count());
    assertTrue(hub.releaseSeal("g3"));
    assertTrue(hub.releaseSeal("g4"));
    assertEquals(null, hub.attention(POLICY), "all delivered: nothing left for the owner");
  }

  /**
   * A region bursting on a code: every offered alert is grouped, and the gate says it bursts while {@code bursts}
   * is set; it notes the questions in the order asked.
   */
  private static final class BurstingRegion implements RegionalGate {
    boolean bursts = true;
    final List<String> asked = new ArrayList<>();

    @Override
    public boolean group(String code, String hubId, long at, CodePolicy p) {
      asked.add("group");
      return bursts;
    }

    @Override
    public boolean bursting(String code, long at, CodePolicy p) {
      asked.add("bursting");
      return bursts;
    }
  }

  @Test
  void aHubReachingItsStormThresholdDuringARegionalBurstIsGroupedNotStormedOnItsOwn() {
    BurstingRegion region = new BurstingRegion();
    List<Verdict> verdicts = new ArrayList<>();
    List<HubEvent> raised = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      HubState.Outcome o = hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8014", ++counter, now)), now, POLICY, region);
      verdicts.add(Verdict.of(o.verdicts()[0]));
      raised.addAll(o.raised());
      now += 100;
    }
    assertTrue(verdicts.stream().allMatch(v -> v == Verdict.GROUPED), verdicts.toString());
    assertTrue(raised.isEmpty(), "no storm-start and no summary of the hub's own: the region's group counts them");
    assertEquals(12, hub.attention(POLICY).openShares().get("8014").count(), "every alert in the hub's group share");
    assertEquals(hub.nextDueAt(POLICY), Long.MAX_VALUE, "the hub is not in a storm of its own");
    assertEquals(4, region.asked.stream().filter("group"::equals).count(), "below the threshold: offered to the region");
    assertEquals(8, region.asked.stream().filter("bursting"::equals).count(),
        "at the threshold: only asked whether the region bursts, not counted as breadth");

    region.bursts = false;
    HubState.Outcome after = hub.apply(HUB, ++operation, List.of(alert(HUB, GPF, "8014", ++counter, now)), now, POLICY, region);
    assertEquals(Verdict.CONSOLIDATED, Verdict.of(after.verdicts()[0]), "the burst is over: the hub storms on its own");
    assertInstanceOf(StormEvent.Started.class, after.raised().get(0));
  }

  @Test
  void theBackupCopyDecidesWithTheOwnersRegionalAnswersAndRefusesAQuestionTheOwnerWasNotAsked() {
    HubState backup = new HubState();
    BurstingRegion region = new BurstingRegion();
    for (int i = 0; i < 14; i++) {
      region.bursts = i >= 3 && i < 9; // the burst starts and ends while the hub's alerts come
      List<org.csp.edge.alert.Alert> batch = List.of(alert(HUB, GPF, "8014", ++counter, now),
          alert(HUB, ESME, "8014", ++counter, now), alert(HUB, GPF, "8F3E", ++counter, now));
      HubState.Outcome owner = hub.apply(HUB, ++operation, batch, now, POLICY, region);
      HubState.Outcome copy = backup.replay(HUB, operation, batch, now, POLICY, owner.answers());
      assertArrayEquals(owner.verdicts(), copy.verdicts(), "operation " + i);
      assertEquals(owner.raised(), copy.raised(), "operation " + i);
      now += 700;
    }
    HubAttention a = hub.attention(POLICY), b = backup.attention(POLICY);
    assertEquals(List.of(a.settleAt(), a.openShares(), a.sealedInto()), List.of(b.settleAt(), b.openShares(), b.sealedInto()));
    assertEquals(hub.waiting(), backup.waiting());
    assertTrue(region.asked.contains("group") && region.asked.contains("bursting"), "both questions were asked");

    HubState differs = new HubState();
    List<org.csp.edge.alert.Alert> first = List.of(alert(HUB, GPF, "8014", ++counter, now));
    assertThrows(IllegalStateException.class, () -> differs.replay(HUB, ++operation, first, now, POLICY, RegionalAnswers.NONE),
        "a backup asking what its owner was not asked fails, instead of answering no");
  }

  private void tripStorm() {
    for (int i = 0; i < 5; i++) {
      send(GPF, "8F3E");
      now += 100;
    }
    assertTrue(hub.nextDueAt(POLICY) != Long.MAX_VALUE, "in storm");
  }
}
