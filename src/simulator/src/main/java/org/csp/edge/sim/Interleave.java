package org.csp.edge.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Merges message sources the way real traffic arrives: interleaved at random, each source keeping its
 * own order (an original before its resend, a hub's alerts in counter order).
 */
final class Interleave {

  private Interleave() {
  }

  /** A random merge of all parts, each chosen with a probability proportional to what it has left. */
  static MessageSource weighted(SplittableRandom random, List<MessageSource> parts) {
    List<MessageSource> live = new ArrayList<>(parts);
    long total = live.stream().mapToLong(MessageSource::remaining).sum();
    return MessageSource.generated(total, () -> {
      long left = live.stream().mapToLong(MessageSource::remaining).sum();
      long ticket = random.nextLong(left);
      for (MessageSource part : live) {
        if (ticket < part.remaining()) {
          return part.next();
        }
        ticket -= part.remaining();
      }
      throw new IllegalStateException("weighted interleave lost track of its parts");
    });
  }

  /**
   * A random merge of many small parts (one per hub, say) made lazily: at most {@code window} parts are
   * open at once, so a run of 100 000 hubs never holds them all. {@code total} must be the sum of the
   * parts' totals.
   */
  static MessageSource pooled(SplittableRandom random, long total, int window, Iterator<MessageSource> parts) {
    List<MessageSource> open = new ArrayList<>(window);
    return MessageSource.generated(total, () -> {
      while (open.size() < window && parts.hasNext()) {
        MessageSource part = parts.next();
        if (part.hasNext()) {
          open.add(part);
        }
      }
      if (open.isEmpty()) {
        throw new IllegalStateException("pooled interleave: parts add up to less than " + total);
      }
      int index = random.nextInt(open.size());
      MessageSource part = open.get(index);
      SimMessage message = part.next();
      if (!part.hasNext()) {
        open.set(index, open.get(open.size() - 1));
        open.remove(open.size() - 1);
      }
      return message;
    });
  }
}
