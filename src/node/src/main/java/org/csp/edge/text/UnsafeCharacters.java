package org.csp.edge.text;

/**
 * Characters that a value from outside (a device's model name, a silence's comment, a recipient) must not bring raw
 * into text the node writes: the text log, a digest e-mail, the console. One rule for all of them, so that what the
 * intake refuses, the mail quotes and the log escapes are the same set.
 */
public final class UnsafeCharacters {

  private UnsafeCharacters() {}

  /**
   * A control character or a line or paragraph separator: a line break would forge a line of its own (an audit entry,
   * a mail header), and the other controls (escape sequences) act on the terminal that shows them.
   */
  public static boolean breaksText(int c) {
    return Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
  }

  /** A bidirectional control: it reorders the text around it, so that a page reads otherwise than it is written. */
  public static boolean reordersText(int c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  }

  /**
   * Whether {@code value} can be an MQTT client id (3.1.1, 1.5.3: well-formed UTF-8, no U+0000), controls refused too
   * as they go into logs and session tables. A decoder has turned ill-formed bytes (a lone surrogate, 0xFF, an
   * overlong NUL) into U+FFFD by the time it is read, so two different ids could read as one: U+FFFD is refused as
   * what it stands for.
   */
  public static boolean mqttClientId(String value) {
    return value.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE
        || c == '\uFFFD');
  }

  public static boolean anyBreaksText(String value) {
    return value != null && value.codePoints().anyMatch(UnsafeCharacters::breaksText);
  }

  /**
   * The value as a terminal shows it to an operator (the command line's tables and lists): what {@link #breaksText}
   * or {@link #reordersText} as an escape, so that a comment or a model name can neither add a row nor act on the
   * terminal nor reorder the line.
   */
  public static String shown(String value) {
    return escape(value, c -> breaksText(c) || reordersText(c));
  }

  /** The value with every character that {@link #breaksText} as an escape: {@code \n}, {@code \r}, else {@code \\uXXXX}. */
  public static String escaped(String value) {
    return escape(value, UnsafeCharacters::breaksText);
  }

  private static String escape(String value, java.util.function.IntPredicate unsafe) {
    if (value == null) return null;
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!unsafe.test(c)) {
        if (out != null) out.append(c);
        continue;
      }
      if (out == null) out = new StringBuilder(value.length() + 16).append(value, 0, i);
      if (c == '\n') out.append("\\n");
      else if (c == '\r') out.append("\\r");
      else out.append(String.format("\\u%04x", (int) c));
    }
    return out == null ? value : out.toString();
  }
}
