package org.csp.edge.sim;

/**
 * EUI-64 identifiers made from a sequence number. A bijection (an odd multiplier modulo 2^56) rather than a random
 * draw, so that two hubs or two devices of a run never share an id, and with it a device's header counters: the
 * node would count the second as duplicate headers the generator never meant to send.
 *
 * <p>The first octet is the id space; each traffic shape uses its own spaces, so shapes mixed in one run (a storm and
 * the latency probe) never collide.
 */
public final class Eui64Ids {
  private static final long LOW_56_BITS = (1L << 56) - 1;
  private static final long MULTIPLIER = 0x9E3779B97F4A7C15L; // odd
  private static final long OFFSET = 0x5DEECE66DL;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final long space;

  public Eui64Ids(int space) {
    this.space = (long) (space & 0xFF) << 56;
  }

  /** The id of the index-th hub or device of this space, upper case as the wire format writes it. */
  public String id(long index) {
    return format(space | ((index * MULTIPLIER + OFFSET) & LOW_56_BITS));
  }

  static String format(long value) {
    char[] out = new char[23];
    int p = 0;
    for (int shift = 56; shift >= 0; shift -= 8) {
      if (p > 0) out[p++] = '-';
      int octet = (int) (value >>> shift) & 0xFF;
      out[p++] = HEX[octet >>> 4];
      out[p++] = HEX[octet & 0xF];
    }
    return new String(out);
  }
}
