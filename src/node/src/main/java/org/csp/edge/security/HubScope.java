package org.csp.edge.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.csp.edge.alert.Eui64;

/**
 * The hubs an intake client may send alerts for: any hub, or a list of hub ids and id prefixes ({@code 00-1B-C5-0C-*}).
 * Written in the third field of a credentials-file line, comma-separated.
 */
public final class HubScope {
  public static final HubScope ANY = new HubScope(Set.of(), List.of(), true);
  private static final String WILDCARD = "*";

  private final Set<String> hubs;
  private final List<String> prefixes;
  private final boolean any;

  private HubScope(Set<String> hubs, List<String> prefixes, boolean any) {
    this.hubs = hubs;
    this.prefixes = prefixes;
    this.any = any;
  }

  /** Parses {@code 00-1B-C5-0C-00-00-10-01,00-1B-C5-0D-*}; empty or {@code *}: any hub. */
  public static HubScope parse(String text) {
    if (text == null || text.isBlank() || text.strip().equals(WILDCARD)) return ANY;
    Set<String> hubs = new TreeSet<>();
    List<String> prefixes = new ArrayList<>();
    for (String item : text.split(",")) {
      String s = item.strip().toUpperCase(Locale.ROOT);
      if (s.isEmpty()) continue;
      if (s.endsWith(WILDCARD)) {
        String prefix = s.substring(0, s.length() - 1);
        if (!prefix.matches("([0-9A-F]{2}-){1,7}")) {
          throw new IllegalArgumentException("hub prefix '" + item.strip() + "' must be whole octets followed by -*, e.g. 00-1B-C5-0C-*");
        }
        prefixes.add(prefix);
      } else {
        String hub = Eui64.normalise(s);
        if (hub == null) throw new IllegalArgumentException("'" + item.strip() + "' is not a hub id (EUI-64) or a prefix such as 00-1B-C5-0C-*");
        hubs.add(hub);
      }
    }
    return hubs.isEmpty() && prefixes.isEmpty() ? ANY : new HubScope(Set.copyOf(hubs), List.copyOf(prefixes), false);
  }

  public boolean any() {
    return any;
  }

  /** @param hubId a normalised (upper-case) hub id */
  public boolean allows(String hubId) {
    if (any) return true;
    if (hubId == null) return false;
    if (hubs.contains(hubId)) return true;
    for (String p : prefixes) if (hubId.startsWith(p)) return true;
    return false;
  }

  @Override
  public String toString() {
    if (any) return WILDCARD;
    List<String> all = new ArrayList<>(hubs);
    prefixes.forEach(p -> all.add(p + WILDCARD));
    return String.join(",", all);
  }
}
