package org.csp.edge.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One digest period: [start, end), epoch millis, aligned to UTC midnight (its length divides a day). */
record DigestPeriod(long start, long end) {

  long millis() {
    return end - start;
  }

  /**
   * The periods whose digest is due at {@code now}: ended at least {@code delay} ago, at most {@code lookBack} ago,
   * and after {@code since} (when the store began to watch for digests), oldest first.
   */
  static List<DigestPeriod> due(long now, long length, long delay, long lookBack, long since) {
    List<DigestPeriod> out = new ArrayList<>();
    long lastEnd = Math.floorDiv(now - delay, length) * length;
    long earliestEnd = Math.max(now - lookBack, since + 1);
    long firstEnd = Math.floorDiv(earliestEnd + length - 1, length) * length; // the first period end >= earliestEnd
    for (long end = firstEnd; end <= lastEnd; end += length) out.add(new DigestPeriod(end - length, end));
    return out;
  }

  /** The digest's event id: the same whoever builds it, whenever (wire format: a resend has the same id). */
  String eventId(String region, String recipient) {
    return "digest:" + region + ":" + recipient + ":" + Instant.ofEpochMilli(start) + ":" + Instant.ofEpochMilli(end);
  }

  /** The key of its claim in the cluster map. */
  String key(String recipient) {
    return recipient + "|" + start + "|" + millis();
  }
}
