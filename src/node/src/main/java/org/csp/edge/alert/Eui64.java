package org.csp.edge.alert;

/** EUI-64 identifiers as the wire format writes them: {@code XX-XX-XX-XX-XX-XX-XX-XX}, either case in, upper out. */
public final class Eui64 {
  private static final int LENGTH = 23;

  private Eui64() {}

  /** The identifier in upper case, or null when {@code text} is not an EUI-64. Checked by hand: this is the hot path. */
  public static String normalise(String text) {
    if (text == null || text.length() != LENGTH) return null;
    boolean lower = false;
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      if (i % 3 == 2) {
        if (c != '-') return null;
      } else if (c >= 'a' && c <= 'f') {
        lower = true;
      } else if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
        return null;
      }
    }
    return lower ? text.toUpperCase(java.util.Locale.ROOT) : text;
  }

  /**
   * The identifier as the 64 bits it names, from its text (either case); {@link #NOT_AN_ID} when it is not an EUI-64.
   * Allocates nothing: the inventory asks it for every alert without a DMC.
   */
  public static long pack(String text) {
    if (text == null || text.length() != LENGTH) return NOT_AN_ID;
    long bits = 0;
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      if (i % 3 == 2) {
        if (c != '-') return NOT_AN_ID;
        continue;
      }
      int digit = Character.digit(c, 16);
      if (digit < 0) return NOT_AN_ID;
      bits = (bits << 4) | digit;
    }
    return bits;
  }

  /**
   * The 64 bits of an identifier as the parser leaves it (upper case), such that {@link #text} gives back the same
   * text; {@link #NOT_AN_ID} for any other text (lower case included), and for FF-FF-FF-FF-FF-FF-FF-FF.
   */
  public static long packUpper(String text) {
    if (text == null || text.length() != LENGTH) return NOT_AN_ID;
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      if (i % 3 != 2 && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return NOT_AN_ID;
    }
    return pack(text);
  }

  /**
   * What {@link #pack} answers for text that is no EUI-64. It is also the packed form of FF-FF-FF-FF-FF-FF-FF-FF, which
   * IEEE reserves (no device carries it): callers treat it as "no id".
   */
  public static final long NOT_AN_ID = -1L;

  /** The wire form of 64 bits, upper case. */
  public static String text(long bits) {
    StringBuilder out = new StringBuilder(LENGTH);
    for (int shift = 60; shift >= 0; shift -= 4) {
      out.append(Character.toUpperCase(Character.forDigit((int) (bits >>> shift) & 0xF, 16)));
      if (shift % 8 == 0 && shift > 0) out.append('-');
    }
    return out.toString();
  }
}
