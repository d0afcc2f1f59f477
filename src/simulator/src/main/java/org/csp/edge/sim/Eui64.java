package org.csp.edge.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * EUI-64 identifiers of simulated hubs and devices. Every identifier a run hands out must be distinct,
 * otherwise two simulated devices would share originator counters and the node would see duplicates
 * the simulator did not intend; so they come from a bijection of a sequence number, not from a
 * random draw.
 */
final class Eui64 {

  private static final long LOW_56_BITS = (1L << 56) - 1;

  private final long space;
  private final long multiplier;
  private final long offset;
  private long sequence;

  /**
   * @param space a byte that becomes the first octet, so that scenarios mixed in one run never collide
   * @param random where the scrambling constants come from (deterministic for a seed)
   */
  Eui64(int space, SplittableRandom random) {
    this.space = (long) (space & 0xFF) << 56;
    this.multiplier = random.nextLong() | 1L; // odd: multiplication is a bijection modulo 2^56
    this.offset = random.nextLong();
  }

  /** The next distinct identifier. */
  String next() {
    long scrambled = (sequence++ * multiplier + offset) & LOW_56_BITS;
    return format(space | scrambled);
  }

  static String format(long value) {
    StringBuilder sb = new StringBuilder(23);
    for (int shift = 56; shift >= 0; shift -= 8) {
      if (sb.length() > 0) {
        sb.append('-');
      }
      sb.append(String.format(Locale.ROOT, "%02X", (value >>> shift) & 0xFF));
    }
    return sb.toString();
  }
}
