package org.csp.edge.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.BitSet;
import java.util.Comparator;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Eui64;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.alert.Rejection;

/**
 * The hubs an intake client may send alerts for: any hub, or a list of hub ids and id prefixes ({@code 00-1B-C5-0C-*}).
 * Written comma-separated in the last field of a line of the MQTT credentials file or of the HTTP tokens file.
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

  /** Scopes are equal when they allow the same hubs by the same terms, whatever order they were written in. */
  @Override
  public boolean equals(Object o) {
    return o instanceof HubScope other && any == other.any && hubs.equals(other.hubs)
        && Set.copyOf(prefixes).equals(Set.copyOf(other.prefixes));
  }

  @Override
  public int hashCode() {
    return hubs.hashCode() * 31 + Set.copyOf(prefixes).hashCode() + (any ? 1 : 0);
  }

  @Override
  public String toString() {
    if (any) return WILDCARD;
    List<String> all = new ArrayList<>(hubs);
    prefixes.forEach(p -> all.add(p + WILDCARD));
    return String.join(",", all);
  }

  /**
   * The alerts of {@code parsed} for hubs outside this scope become rejections ({@code hub_not_allowed}) at their
   * own index (the index the parser skipped over for earlier rejections); the others go on. Both intakes use it.
   */
  public ParsedMessage bind(ParsedMessage parsed) {
    if (any || parsed.alerts().isEmpty()) return parsed;
    boolean allAllowed = true;
    for (Alert a : parsed.alerts()) allAllowed &= allows(a.hubId());
    if (allAllowed) return parsed;
    BitSet refused = new BitSet();
    for (Rejection r : parsed.rejections()) refused.set(r.index());
    List<Alert> alerts = new ArrayList<>(parsed.alerts().size());
    List<Rejection> rejections = new ArrayList<>(parsed.rejections());
    int index = 0;
    for (Alert a : parsed.alerts()) {
      while (refused.get(index)) index++;
      if (allows(a.hubId())) alerts.add(a);
      else rejections.add(new Rejection(index, RejectReason.HUB_NOT_ALLOWED, "hub " + a.hubId()));
      index++;
    }
    rejections.sort(Comparator.comparingInt(Rejection::index));
    return new ParsedMessage(alerts, rejections);
  }
}
