package org.csp.edge.alert;

/**
 * Finds where the elements of a top-level JSON array begin and end, byte by byte, building nothing: the depth is
 * one int, so an element nested a million deep costs no memory here and is then judged alone, by a parser with
 * per-element limits. It checks only what it needs to find the boundaries; the parser judges the syntax. UTF-8
 * multi-byte sequences never hold an ASCII byte, so the structural characters are found in the bytes directly.
 */
final class JsonElements {
  static final int NOT_FOUND = -1;

  private JsonElements() {}

  static boolean whitespace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /** Past a UTF-8 byte order mark at {@code i}, if there is one (the parser reads a message that starts with one). */
  static int skipByteOrderMark(byte[] b, int i, int end) {
    return end - i >= 3 && b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBB && b[i + 2] == (byte) 0xBF ? i + 3 : i;
  }

  /** The first position from {@code i} that is not JSON whitespace, or {@code end}. */
  static int skipWhitespace(byte[] b, int i, int end) {
    while (i < end && whitespace(b[i])) i++;
    return i;
  }

  /**
   * The end (exclusive) of the value that starts at {@code i}: a bracketed value to its matching bracket, a string
   * to its closing quote, anything else to the next delimiter. {@link #NOT_FOUND} if the input ends first; {@code i}
   * itself when no value starts there.
   */
  static int valueEnd(byte[] b, int i, int end) {
    byte c = b[i];
    if (c == '"') return stringEnd(b, i, end);
    if (c != '{' && c != '[') {
      while (i < end && !whitespace(b[i]) && b[i] != ',' && b[i] != ']' && b[i] != '}' && b[i] != ':') i++;
      return i;
    }
    int depth = 0;
    while (i < end) {
      c = b[i];
      if (c == '"') {
        i = stringEnd(b, i, end);
        if (i == NOT_FOUND) return NOT_FOUND;
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return NOT_FOUND;
  }

  /** Past the closing quote of the string that opens at {@code i}, or {@link #NOT_FOUND}. */
  private static int stringEnd(byte[] b, int i, int end) {
    for (i++; i < end; i++) {
      if (b[i] == '\\') i++;
      else if (b[i] == '"') return i + 1;
    }
    return NOT_FOUND;
  }
}
