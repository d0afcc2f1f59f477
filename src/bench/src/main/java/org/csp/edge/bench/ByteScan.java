package org.csp.edge.bench;

import java.nio.charset.StandardCharsets;

/**
 * Finding a field in compact JSON without parsing it: the subscribers read a few top-level fields of every message at
 * tens of thousands of messages a second, on the same two cores as the node they measure.
 */
final class ByteScan {
  private ByteScan() {}

  static byte[] key(String field, boolean stringValue) {
    return ("\"" + field + "\":" + (stringValue ? "\"" : "")).getBytes(StandardCharsets.US_ASCII);
  }

  /** Index just after the first occurrence of {@code key} at or after {@code from}, or -1. */
  static int after(byte[] b, byte[] key, int from) {
    outer:
    for (int i = from, last = b.length - key.length; i <= last; i++) {
      for (int j = 0; j < key.length; j++) {
        if (b[i + j] != key[j]) continue outer;
      }
      return i + key.length;
    }
    return -1;
  }

  /** Index of the closing quote of a string value starting at {@code from} (no escapes in the fields read), or -1. */
  static int endOfString(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '"') return i;
      if (b[i] == '\\') return -1;
    }
    return -1;
  }

  /** A string value: {@code key} made with stringValue = true. */
  static String string(byte[] b, byte[] key) {
    int start = after(b, key, 0);
    if (start < 0) return null;
    int end = endOfString(b, start);
    return end < 0 ? null : new String(b, start, end - start, StandardCharsets.US_ASCII);
  }

  /** A non-negative integer value, or -1. */
  static long integer(byte[] b, byte[] key) {
    int i = after(b, key, 0);
    if (i < 0 || i >= b.length || b[i] < '0' || b[i] > '9') return -1;
    long v = 0;
    for (; i < b.length && b[i] >= '0' && b[i] <= '9'; i++) v = v * 10 + (b[i] - '0');
    return v;
  }

  static int count(byte[] b, byte[] key) {
    int n = 0;
    for (int i = after(b, key, 0); i >= 0; i = after(b, key, i)) n++;
    return n;
  }
}
