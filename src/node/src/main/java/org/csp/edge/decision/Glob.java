package org.csp.edge.decision;

/**
 * The matchers of silences and of device models: a pattern matches a value when they are equal, where each {@code *}
 * in the pattern stands for any run of characters (none included); nothing else is special. Case-sensitive: hub,
 * device ids and alert codes are upper case by the time they are compared (the wire format normalises them, the
 * silence's reader too). {@code null} or {@code *} alone matches anything, an absent value included.
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String value) {
    if (pattern == null || pattern.equals("*")) return true;
    if (value == null) return false;
    int p = 0;
    int v = 0;
    int star = -1;
    int resume = 0;
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
        p++;
        v++;
      } else if (star >= 0) {
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}
