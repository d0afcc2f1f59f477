package org.csp.edge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** raisedAt's fast path reads exactly what Instant.parse reads, and leaves everything else to it. */
class IsoInstantTest {

  @Test
  void theUtcFormReadsAsInstantParseReadsItWithAnyFraction() {
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 200_000; i++) {
      // Years 0000 to 9999, every length of fraction from none to nanoseconds.
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
      String text = t.toString();
      int digits = random.nextInt(10);
      String whole = text.substring(0, 19);
      String fraction = (text.length() > 20 ? text.substring(20, text.length() - 1) : "") + "000000000";
      String s = whole + (digits == 0 ? "" : "." + fraction.substring(0, digits)) + "Z";
      long expected = Instant.parse(s).toEpochMilli();
      assertNotEquals(Long.MIN_VALUE, IsoInstant.utcMillis(s), s + " is the fast path's form");
      assertEquals(expected, IsoInstant.parseMillis(s), s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-23T10:15:30+01:00", "2016-12-31T23:59:60Z", "2026-11-23T10:15:30.5-03:30",
      "0000-01-01T00:00:00-01:00", "9999-12-31T23:59:59+01:00"})
  void otherValidFormsGoThroughTheGeneralParser(String s) {
    assertEquals(Long.MIN_VALUE, IsoInstant.utcMillis(s), "not the fast path's form");
    Instant expected;
    try {
      expected = Instant.parse(s);
    } catch (RuntimeException e) {
      expected = OffsetDateTime.parse(s).toInstant();
    }
    assertEquals(expected.toEpochMilli(), IsoInstant.parseMillis(s));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T10:15:30Z", "2026-13-01T10:15:30Z", "2026-11-23T10:60:30Z",
      "2026-11-23T10:15:30.1234567890Z", "2026-11-23 10:15:30Z", "2026-11-23T10:15:3xZ",
      "2026-11-23T10:15:30", "yesterday", "2025-02-29T00:00:00Z", "",
      // Instant.parse takes these; the contract's instant (RFC 3339) does not, and the node forwards raisedAt as sent
      "2026-11-23t10:15:30z", "2026-11-23T24:00:00Z", "2026-11-23T10:15:30.Z", "2026-11-23T10:15:30-05:30:30"})
  void invalidInstantsAreRefused(String s) {
    assertNull(IsoInstant.parseMillis(s), s);
  }

  /** Instant.parse reads years up to a billion; their milliseconds overflow a long, and printers stumble on them. */
  @ParameterizedTest
  @ValueSource(strings = {"+300000000-01-01T00:00:00Z", "-300000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z",
      "-1000000000-01-01T00:00:00Z", "+292278994-08-17T07:12:55.808Z", "+12026-11-23T10:15:30Z", "+10000-01-01T00:00:00Z",
      "-0001-12-31T23:59:59Z", "0000-01-01T00:59:59+01:00", "+300000000-01-01T00:00:00+01:00"})
  void instantsOutsideYearsZeroToNineThousandNineHundredNinetyNineAreRefused(String s) {
    assertNull(IsoInstant.parseMillis(s), s);
  }

  @Test
  void aTextLongerThanAnyInstantIsRefusedUnread() {
    assertNull(IsoInstant.parseMillis("2026-11-23T10:15:30." + "0".repeat(100_000) + "Z"));
  }
}
