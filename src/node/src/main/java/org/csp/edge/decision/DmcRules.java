package org.csp.edge.decision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Dmc;

/**
 * The {@code policy.dmcs} entries, indexed for the hot path: manufacturer, then model, then firmware, each level
 * keyed by the exact value and by {@code *}. A lookup visits at most eight leaves, allocates nothing, and the
 * entry listed first among those that match wins (as in a firewall's rules).
 */
public final class DmcRules {
  public static final DmcRules NONE = new DmcRules(List.of());
  private static final int NO_MATCH = Integer.MAX_VALUE;

  private final List<DmcRule> rules;
  private final Map<String, Map<String, Map<String, Integer>>> index = new HashMap<>();

  public DmcRules(List<DmcRule> rules) {
    this.rules = List.copyOf(rules);
    for (int i = 0; i < this.rules.size(); i++) {
      DmcRule r = this.rules.get(i);
      index.computeIfAbsent(r.manufacturer(), k -> new HashMap<>())
          .computeIfAbsent(r.model(), k -> new HashMap<>())
          .putIfAbsent(r.firmware(), i);
    }
  }

  public List<DmcRule> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The first entry matching {@code dmc}, or null (no dmc, or no entry matches). */
  public DmcRule match(Dmc dmc) {
    if (dmc == null || rules.isEmpty()) return null;
    int first = Math.min(models(index.get(dmc.manufacturer()), dmc), models(index.get(DmcRule.ANY), dmc));
    return first == NO_MATCH ? null : rules.get(first);
  }

  private static int models(Map<String, Map<String, Integer>> models, Dmc dmc) {
    if (models == null) return NO_MATCH;
    return Math.min(firmwares(models.get(dmc.model()), dmc), firmwares(models.get(DmcRule.ANY), dmc));
  }

  private static int firmwares(Map<String, Integer> firmwares, Dmc dmc) {
    if (firmwares == null) return NO_MATCH;
    Integer exact = firmwares.get(dmc.firmware());
    Integer any = firmwares.get(DmcRule.ANY);
    return Math.min(exact == null ? NO_MATCH : exact, any == null ? NO_MATCH : any);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DmcRules other && rules.equals(other.rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return rules.toString();
  }
}
