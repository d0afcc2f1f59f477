package org.csp.edge.upstream;

import java.time.Instant;

/**
 * Epoch milliseconds as {@link Instant#toString()} writes them ({@code 2026-11-23T14:32:49.291Z}, no fraction on a
 * whole second), formatting the date and time only when the second changes: every forwarded alert carries two
 * instants, and {@code Instant.toString} went through a DateTimeFormatter for each.
 */
final class IsoMillis {
  /** The second last formatted and its text up to the seconds; one immutable value, so threads may share it. */
  private record Second(long epochSecond, String prefix) {}

  private volatile Second last = new Second(Long.MIN_VALUE, "");

  String format(long millis) {
    long epochSecond = Math.floorDiv(millis, 1000);
    int ms = (int) Math.floorMod(millis, 1000);
    Second s = last;
    if (s.epochSecond != epochSecond) {
      String whole = Instant.ofEpochSecond(epochSecond).toString(); // ends in "Z", without a fraction
      s = new Second(epochSecond, whole.substring(0, whole.length() - 1));
      last = s;
    }
    if (ms == 0) return s.prefix + 'Z';
    StringBuilder sb = new StringBuilder(s.prefix.length() + 5).append(s.prefix).append('.');
    if (ms < 100) sb.append('0');
    if (ms < 10) sb.append('0');
    return sb.append(ms).append('Z').toString();
  }
}
