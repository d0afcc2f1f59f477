package org.csp.edge.alert;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An alert's {@code raisedAt} as epoch milliseconds. Devices send the plain UTC form almost always
 * ({@code 2026-11-23T10:15:30Z}, {@code ...30.123Z}); that form is read digit by digit, as {@link Instant#parse}
 * would read it, because the formatter's general machinery was a tenth of parsing an alert. Anything else (an
 * offset, a leap second, a year of more than four digits) goes through {@code Instant.parse}, then
 * {@code OffsetDateTime.parse}, as before.
 *
 * <p>The node takes instants from {@code 0000-01-01T00:00:00Z} to {@code 9999-12-31T23:59:59.999999999Z}: the
 * years ISO-8601 writes with four digits and no sign, which every reader on the DSP side parses, far inside what
 * epoch milliseconds hold (so period arithmetic on them cannot overflow). {@code Instant.parse} reads years up to
 * a billion, whose milliseconds overflow a long: those, and anything else outside the window, are not taken.
 * Every instant a client gives (an alert's, a report's range, a silence's bounds) is read here, so none overflows.
 */
public final class IsoInstant {
  private static final int SHORTEST = "2026-11-23T10:15:30Z".length();
  private static final long MILLIS_PER_DAY = 86_400_000L;
  /** The longest valid text: a nine-digit fraction and an offset; longer is refused before parsing. */
  static final int MAX_CHARS = "9999-12-31T23:59:59.999999999+18:00".length();
  /**
   * The form taken, the contract's {@code instant} (RFC 3339's date-time, which JSON Schema's {@code date-time} is,
   * with a four-digit year): {@code T} and {@code Z} in capitals, hours to 23, a fraction of 1 to 9 digits, an offset
   * of hours and minutes. {@code Instant.parse} also reads a lower-case {@code t} or {@code z}, 24:00, an empty
   * fraction and an offset with seconds; forwarded as sent, those would break the schema of the events.
   */
  private static final java.util.regex.Pattern RFC_3339 = java.util.regex.Pattern.compile(
      "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?"
          + "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])");
  static final long EARLIEST_MILLIS = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
  static final long LATEST_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  private IsoInstant() {}

  /**
   * The instant in milliseconds (fraction truncated, as {@code toEpochMilli}), or null if it is not an ISO-8601
   * instant inside the window.
   */
  public static Long parseMillis(String s) {
    if (s.length() > MAX_CHARS) return null;
    long fast = utcMillis(s);
    if (fast != Long.MIN_VALUE) return fast; // four-digit years only: always inside the window
    Instant instant = general(s);
    if (instant == null || instant.getEpochSecond() < Math.floorDiv(EARLIEST_MILLIS, 1000)
        || instant.getEpochSecond() > Math.floorDiv(LATEST_MILLIS, 1000)) {
      return null;
    }
    return instant.toEpochMilli();
  }

  private static Instant general(String s) {
    if (!RFC_3339.matcher(s).matches()) return null;
    try {
      return Instant.parse(s);
    } catch (DateTimeException e) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeException e2) {
        return null;
      }
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with valid fields, in milliseconds; Long.MIN_VALUE for anything else. */
  static long utcMillis(String s) {
    int n = s.length();
    if (n < SHORTEST || n == SHORTEST + 1 || n > SHORTEST + 10 || s.charAt(n - 1) != 'Z') return Long.MIN_VALUE;
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) return Long.MIN_VALUE;
    int millis = 0;
    if (n > SHORTEST) {
      if (s.charAt(19) != '.') return Long.MIN_VALUE;
      int fraction = digits(s, 20, n - 21); // 1 to 9 digits
      if (fraction < 0) return Long.MIN_VALUE;
      for (int i = n - 21; i < 9; i++) fraction *= 10; // nanoseconds
      millis = fraction / 1_000_000;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return Long.MIN_VALUE; // 30 February and the like: the general parser says why
    }
    return epochDay * MILLIS_PER_DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis;
  }

  /** The decimal value of {@code count} ASCII digits from {@code from}, or -1 if one is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
