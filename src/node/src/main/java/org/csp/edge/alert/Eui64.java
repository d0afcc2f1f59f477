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
}
