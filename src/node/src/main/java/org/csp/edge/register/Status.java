package org.csp.edge.register;

import java.util.Locale;

/** An entry's status, the most certain first. */
public enum Status {
  CONFIRMED, SUSPECTED, NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Status ofWire(String s) {
    for (Status v : values()) if (v.wireName().equals(s)) return v;
    return null;
  }
}
