package org.csp.edge.decision;

/**
 * Alert codes (four hex digits, upper case, as the parser leaves them) as a {@code char}, for hub state kept per
 * hub and code: two bytes in place of a String of 48 bytes of its own per hub (see
 * src/bench/results/2026-11-23-memory.md). The names go back through one shared table, so turning a key back into a
 * code allocates nothing.
 */
final class AlertCodes {
  /** Filled as codes are seen; a racing fill writes an equal String, and Strings are safe to publish racily. */
  private static final String[] NAMES = new String[1 << 16];

  private AlertCodes() {}

  static char key(String alertCode) {
    if (alertCode.length() != 4) throw new IllegalArgumentException("not an alert code: " + alertCode);
    int key = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(alertCode.charAt(i), 16);
      if (digit < 0 || Character.isLowerCase(alertCode.charAt(i))) {
        throw new IllegalArgumentException("not an alert code (4 upper-case hex digits): " + alertCode);
      }
      key = key << 4 | digit;
    }
    if (NAMES[key] == null) NAMES[key] = alertCode;
    return (char) key;
  }

  static String name(char key) {
    String name = NAMES[key];
    if (name == null) {
      name = String.format("%04X", (int) key);
      NAMES[key] = name;
    }
    return name;
  }
}
