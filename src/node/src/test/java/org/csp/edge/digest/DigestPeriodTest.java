package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which periods are due: aligned to UTC midnight, after their delay, within the look-back, not before the watch. */
class DigestPeriodTest {
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long MINUTE = Duration.ofMinutes(1).toMillis();

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void aDayIsDueItsDelayAfterUtcMidnight() {
    long since = at("2026-11-01T00:00:00Z");
    assertEquals(List.of(), DigestPeriod.due(at("2026-12-02T00:04:59Z"), DAY, 5 * MINUTE, DAY, since), "not before the delay");
    assertEquals(List.of(new DigestPeriod(at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"))),
        DigestPeriod.due(at("2026-12-02T00:05:00Z"), DAY, 5 * MINUTE, DAY, since));
  }

  @Test
  void theLookBackAndTheWatchBoundTheCatchUp() {
    long now = at("2026-12-05T10:30:00Z");
    List<DigestPeriod> week = DigestPeriod.due(now, DAY, 5 * MINUTE, 7 * DAY, at("2026-01-01T00:00:00Z"));
    assertEquals(7, week.size(), "the days that ended within the look-back: " + week);
    assertEquals(at("2026-12-04T00:00:00Z"), week.get(week.size() - 1).start());
    List<DigestPeriod> sinceWatch = DigestPeriod.due(now, DAY, 5 * MINUTE, 7 * DAY, at("2026-12-03T15:00:00Z"));
    assertEquals(List.of(new DigestPeriod(at("2026-12-03T00:00:00Z"), at("2026-12-04T00:00:00Z")),
        new DigestPeriod(at("2026-12-04T00:00:00Z"), at("2026-12-05T00:00:00Z"))), sinceWatch,
        "the day the store began to watch is digested, the days before are not");
  }

  @Test
  void theEventIdDependsOnRegionRecipientAndPeriodOnly() {
    DigestPeriod p = new DigestPeriod(at("2026-12-01T10:00:00Z"), at("2026-12-01T11:00:00Z"));
    assertEquals("digest:north:dno:2026-12-01T10:00:00Z:2026-12-01T11:00:00Z", p.eventId("north", "dno"));
    assertEquals(p.eventId("north", "dno"), new DigestPeriod(p.start(), p.start() + HOUR).eventId("north", "dno"));
    assertEquals("dno|" + p.start() + "|" + HOUR, p.key("dno"));
  }
}
