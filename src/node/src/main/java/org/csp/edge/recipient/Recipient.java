package org.csp.edge.recipient;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One party the node's events are for: its {@code name} (it goes into metrics, the status and digest topics: a topic
 * segment, so letters, digits, '-' and '_'), the alert codes it receives ({@link #REST} for every code no other
 * recipient lists) and its {@code weight}: its share of the upstream link while events wait, against the others'.
 */
public record Recipient(String name, Set<String> codes, int weight) {
  /** Stands for every code that no other recipient lists. */
  public static final String REST = "*";
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  public static final Pattern CODE = Pattern.compile("[0-9A-F]{4}");

  public Recipient {
    codes = Set.copyOf(codes);
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a recipient's name is 1 to 64 letters, digits, '-' or '_', got '" + name + "'");
    }
    if (codes.isEmpty()) throw new IllegalArgumentException("recipient " + name + " has no codes");
    for (String code : codes) {
      if (!code.equals(REST) && !CODE.matcher(code).matches()) {
        throw new IllegalArgumentException("recipient " + name + ": '" + code + "' is not an alert code (4 upper-case hex digits) nor *");
      }
    }
    if (weight < 1) throw new IllegalArgumentException("recipient " + name + ": weight must be at least 1, got " + weight);
  }

  /** Whether this recipient receives the codes no other one lists. */
  public boolean takesTheRest() {
    return codes.contains(REST);
  }
}
