package org.csp.edge.bench;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Wall-clock time in microseconds, shared by the generator (which writes it into {@code raisedAt}) and the
 * subscribers (which read it back on arrival), so that an end-to-end latency is one clock minus itself.
 *
 * <p>Anchored once to {@link Instant#now()} and advanced by {@link System#nanoTime()}: microsecond resolution
 * without allocating, and immune to NTP steps during a run. Millisecond {@code raisedAt} values would round away
 * most of a 5 ms latency budget, so the generator writes six fraction digits (still an ISO-8601 instant).
 */
final class MicroClock {
  private static final long ANCHOR_NANOS = System.nanoTime();
  private static final long ANCHOR_MICROS;

  static {
    Instant now = Instant.now();
    ANCHOR_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** The formatted "yyyy-MM-ddTHH:mm:ss" of the second last formatted: raisedAt is formatted per message. */
  private record SecondText(long epochSecond, String text) {}

  private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");

  private MicroClock() {}

  static long nowMicros() {
    return ANCHOR_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1_000;
  }

  /** An ISO-8601 instant with six fraction digits, e.g. {@code 2025-06-01T12:00:00.123456Z}. */
  static String iso(long epochMicros) {
    long second = Math.floorDiv(epochMicros, 1_000_000L);
    int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
    SecondText cached = lastSecond;
    if (cached.epochSecond() != second) {
      String full = Instant.ofEpochSecond(second).toString(); // "...:ssZ" for a whole second
      cached = new SecondText(second, full.substring(0, full.length() - 1));
      lastSecond = cached;
    }
    StringBuilder sb = new StringBuilder(27).append(cached.text()).append('.');
    String digits = Integer.toString(micros);
    for (int i = digits.length(); i < 6; i++) sb.append('0');
    return sb.append(digits).append('Z').toString();
  }

  private static final byte[] RAISED_AT = ByteScan.key("raisedAt", true);

  /** The {@code raisedAt} of a JSON message, in microseconds, or {@link Long#MIN_VALUE} when it has none we wrote. */
  static long raisedAtMicros(byte[] json) {
    int start = ByteScan.after(json, RAISED_AT, 0);
    int end = start < 0 ? -1 : ByteScan.endOfString(json, start);
    return end < 0 ? Long.MIN_VALUE : parseMicros(json, start, end);
  }

  /**
   * Reads back an instant written by {@link #iso(long)} (any number of fraction digits, 'Z' zone) from ASCII
   * bytes; returns {@link Long#MIN_VALUE} for anything else, so a stranger's timestamp is skipped, not misread.
   */
  static long parseMicros(byte[] b, int from, int to) {
    // yyyy-MM-ddTHH:mm:ss = 19 characters, then optional .fraction, then Z
    if (to - from < 20 || b[from + 4] != '-' || b[from + 10] != 'T' || b[to - 1] != 'Z') return Long.MIN_VALUE;
    int year = digits(b, from, 4);
    int month = digits(b, from + 5, 2);
    int day = digits(b, from + 8, 2);
    int hour = digits(b, from + 11, 2);
    int minute = digits(b, from + 14, 2);
    int second = digits(b, from + 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
      return Long.MIN_VALUE;
    }
    long micros = 0;
    int i = from + 19;
    if (b[i] == '.') {
      int scale = 100_000;
      for (i++; i < to - 1; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) return Long.MIN_VALUE;
        micros += d * scale;
        scale /= 10;
      }
    } else if (i != to - 1) {
      return Long.MIN_VALUE;
    }
    long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
    return epochSecond * 1_000_000L + micros;
  }

  private static int digits(byte[] b, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }
}
