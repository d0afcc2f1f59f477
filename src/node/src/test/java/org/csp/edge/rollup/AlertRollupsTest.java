package org.csp.edge.rollup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.decision.Verdict;
import org.junit.jupiter.api.Test;

/** The rollups count every outcome once, per hour and per day, and fold hours into days without losing a count. */
class AlertRollupsTest {
  private static final Dmc METER = new Dmc("Acme", "M1", "1.2.3");
  private static final long T0 = Instant.parse("2026-12-01T10:15:00Z").toEpochMilli();
  private final AtomicLong clock = new AtomicLong(T0);
  private final Sketches sketches = new Sketches(12, 64);
  private final AlertRollups rollups = new AlertRollups("node-a/boot-1", sketches, clock::get, 1000, Duration.ofMinutes(2));

  private static Alert alert(int hub, int device, String code, Dmc dmc) {
    return new Alert(String.format("00-1B-C5-0C-00-00-%02X-%02X", hub / 256, hub % 256),
        String.format("00-1B-C5-0C-01-00-%02X-%02X", device / 256, device % 256), "ESME", code, 1, "2026-12-01T10:15:00Z",
        T0, dmc, null);
  }

  @Test
  void everyOutcomeIsCountedOnceAndTheHourAddsUpToWhatWasReceived() {
    int received = 0;
    for (int i = 0; i < 1000; i++) {
      rollups.decided(alert(i, i, "8F3E", METER), Verdict.values()[i % Verdict.values().length]);
      received++;
    }
    for (int i = 0; i < 50; i++) {
      rollups.rejected(alert(i, i, "8F3E", null), RejectReason.UNAVAILABLE);
      rollups.rejected(null, RejectReason.MALFORMED_JSON);
      received += 2;
    }
    List<RollupBatch> batches = rollups.flush();
    RollupBatch hour = only(batches, Period.HOUR);
    RollupBatch day = only(batches, Period.DAY);
    assertEquals(Period.HOUR.startOf(T0), hour.start());
    assertEquals(received, total(hour));
    assertEquals(received, total(day));
    Map<String, Long> byOutcome = byOutcome(hour);
    for (Verdict v : Verdict.values()) assertTrue(byOutcome.get(Outcomes.of(v)) > 0, "every verdict is an outcome: " + v);
    long forwarded = java.util.stream.IntStream.range(0, 1000).filter(i -> i % Verdict.values().length == Verdict.FORWARD.ordinal()).count();
    assertEquals(forwarded, byOutcome.get("forwarded"));
    assertEquals(50L, byOutcome.get("rejected:unavailable"));
    assertEquals(50L, byOutcome.get("rejected:malformed_json"));
    RollupRow unread = hour.rows().stream().filter(r -> r.outcome().equals("rejected:malformed_json")).findFirst().orElseThrow();
    assertEquals(AlertRollups.UNKNOWN, unread.alertCode());
    assertEquals(null, unread.dmc());
  }

  @Test
  void distinctHubsAreEstimatedWithinTheSketchError() {
    for (int i = 0; i < 5000; i++) rollups.decided(alert(i % 2000, i, "8F3E", METER), Verdict.CONSOLIDATED);
    Merged<String> m = new Merged<>(sketches);
    for (RollupRow r : only(rollups.flush(), Period.HOUR).rows()) m.add("all", r.tally());
    Merged<String>.Acc acc = m.cells().get("all");
    assertEquals(5000, acc.count());
    assertEquals(2000, acc.hubs(), 2000 * 0.05, "about 1.6 % relative error at lgK 12; 3 sigma within 5 %");
    assertEquals(5000, acc.devices(), 5000 * 0.05);
  }

  @Test
  void anHourPastItsGraceIsFoldedIntoItsDayWithoutLosingACount() {
    for (int i = 0; i < 100; i++) rollups.decided(alert(i, i, "8F3E", METER), Verdict.FORWARD);
    rollups.flush();
    clock.set(T0 + Duration.ofHours(1).toMillis()); // 11:15: 10:00's hour ended 15 min ago, past its 2 min grace
    for (int i = 0; i < 30; i++) rollups.decided(alert(i, i, "8F3E", METER), Verdict.FORWARD);
    List<RollupBatch> second = rollups.flush();
    assertEquals(2, second.stream().filter(b -> b.period() == Period.HOUR).count(), "10:00 one last time, and 11:00");
    List<RollupBatch> third = rollups.flush();
    assertEquals(1, third.stream().filter(b -> b.period() == Period.HOUR).count(), "10:00 folded into its day");
    assertEquals(130, total(only(third, Period.DAY)));
    assertTrue(third.get(0).seq() > second.get(0).seq(), "every flush has a newer sequence");
  }

  @Test
  void aHubSeenOnTwoIntakeThreadsAndInTwoHoursCountsOnceInItsDay() throws Exception {
    Thread other = new Thread(() -> {
      for (int i = 0; i < 3000; i++) rollups.decided(alert(i % 1000, i, "8F3E", METER), Verdict.CONSOLIDATED);
    });
    other.start();
    for (int i = 0; i < 3000; i++) rollups.decided(alert(i % 1000, i, "8F3E", METER), Verdict.CONSOLIDATED);
    other.join();
    rollups.flush();
    clock.set(T0 + Duration.ofHours(1).toMillis());
    for (int i = 0; i < 3000; i++) rollups.decided(alert(i % 1000, i, "8F3E", METER), Verdict.CONSOLIDATED);
    rollups.flush();
    List<RollupBatch> afterFold = rollups.flush(); // 10:00 folded; 11:00 live: the day merges both
    Merged<String> day = new Merged<>(sketches);
    for (RollupRow r : only(afterFold, Period.DAY).rows()) day.add("all", r.tally());
    Merged<String>.Acc acc = day.cells().get("all");
    assertEquals(9000, acc.count());
    assertEquals(1000, acc.hubs(), 1000 * 0.05, "the same 1,000 hubs on both threads and in both hours");
    assertEquals(3000, acc.devices(), 3000 * 0.05);
    assertTrue(only(afterFold, Period.DAY).tops().stream().anyMatch(t -> t.alertCode().equals("8F3E") && t.of().equals("hubs")),
        "the code's top hubs reach the day");
  }

  @Test
  void beyondTheCapNewModelsCountAsOther() {
    AlertRollups capped = new AlertRollups("n/b", sketches, clock::get, 3, Duration.ofMinutes(2));
    for (int i = 0; i < 10; i++) capped.decided(alert(i, i, "8F3E", new Dmc("Acme", "M" + i, "1")), Verdict.FORWARD);
    RollupBatch hour = only(capped.flush(), Period.HOUR);
    assertEquals(10, total(hour));
    assertEquals(7, hour.rows().stream().filter(r -> AlertRollups.OTHER_DMC.equals(r.dmc())).mapToLong(r -> r.tally().count()).sum());
  }

  /**
   * Codes come from devices too: without a model, every one of 65,536 codes made cells and tops of its own, past any
   * cap, until the heap ran out. Past the cap they count under other code and models; tops past the codes the
   * metrics name count under other; every alert is still counted.
   */
  @Test
  void beyondTheCapNewCodesWithoutAModelCountAsOtherAndTheirTopsAreBounded() {
    AlertRollups capped = new AlertRollups("n/b", sketches, clock::get, 50, Duration.ofMinutes(2));
    int codes = 4096;
    for (int c = 0; c < codes; c++) {
      capped.decided(alert(c % 500, c, String.format("%04X", c), null), Verdict.FORWARD);
      capped.rejected(alert(c % 500, c, String.format("%04X", c), null), org.csp.edge.alert.RejectReason.BAD_DMC);
    }
    RollupBatch hour = only(capped.flush(), Period.HOUR);
    assertEquals(2L * codes, total(hour));
    assertTrue(hour.rows().size() <= 50 + 2, "cells: the cap and one per outcome past it, not one per code: " + hour.rows().size());
    assertEquals(2L * codes - 50, hour.rows().stream().filter(r -> AlertRollups.OTHER_CODE.equals(r.alertCode()))
        .mapToLong(r -> r.tally().count()).sum());
    long topCodes = hour.tops().stream().map(t -> t.alertCode()).distinct().count();
    assertTrue(topCodes <= AlertRollups.MAX_TOP_CODES + 1, "tops: the codes named and other: " + topCodes);
  }

  /** A day folds hour after hour: each hour bounded, the day too, not 24 hours' worth of different keys. */
  @Test
  void aDayOfHoursWithDifferentModelsStaysWithinTheCap() {
    AlertRollups capped = new AlertRollups("n/b", sketches, clock::get, 20, Duration.ofMinutes(2));
    long t = Instant.parse("2026-12-01T00:15:00Z").toEpochMilli();
    List<RollupBatch> last = List.of();
    for (int h = 0; h < 6; h++) {
      clock.set(t + Duration.ofHours(h).toMillis());
      for (int i = 0; i < 20; i++) capped.decided(alert(i, i, "8F3E", new Dmc("Acme", "M" + h + "-" + i, "1")), Verdict.FORWARD);
      capped.flush();
      last = capped.flush();
    }
    RollupBatch day = only(last, Period.DAY);
    assertEquals(6L * 20, total(day));
    assertTrue(day.rows().size() <= 2 * 20 + 1, "the day: its folded cells capped, and the live hour: " + day.rows().size());
  }

  @Test
  void aBatchReadsBackAsItWasWritten() {
    rollups.decided(alert(1, 2, "8F3E", METER), Verdict.GROUPED);
    rollups.rejected(null, RejectReason.BAD_TOPIC);
    RollupBatch b = only(rollups.flush(), Period.HOUR);
    RollupBatch back = RollupBatch.decode(b.encode());
    assertEquals(b.key(), back.key());
    assertEquals(b.seq(), back.seq());
    assertEquals(b.rows().size(), back.rows().size());
    for (int i = 0; i < b.rows().size(); i++) {
      assertEquals(b.rows().get(i).dmc(), back.rows().get(i).dmc());
      assertEquals(b.rows().get(i).outcome(), back.rows().get(i).outcome());
      assertArrayEquals(b.rows().get(i).tally().hubs(), back.rows().get(i).tally().hubs());
    }
    assertEquals(b.tops().size(), back.tops().size());
  }

  private static RollupBatch only(List<RollupBatch> batches, Period p) {
    List<RollupBatch> of = batches.stream().filter(b -> b.period() == p).toList();
    assertEquals(1, of.size(), "one batch of " + p + ": " + of);
    return of.get(0);
  }

  private static long total(RollupBatch b) {
    return b.rows().stream().mapToLong(r -> r.tally().count()).sum();
  }

  private static Map<String, Long> byOutcome(RollupBatch b) {
    Map<String, Long> out = new HashMap<>();
    for (RollupRow r : b.rows()) out.merge(r.outcome(), r.tally().count(), Long::sum);
    return out;
  }
}
