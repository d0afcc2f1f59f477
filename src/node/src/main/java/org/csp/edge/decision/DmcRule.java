package org.csp.edge.decision;

import java.util.Map;

/**
 * The rule for the devices of one model ({@code policy.dmcs}): {@code manufacturer}, {@code model} and
 * {@code firmware} each exact (case-sensitive, as the device sends it) or {@link #ANY}. Resolved when the policy is
 * read: {@code rule} is what an alert of a code the policy names nowhere gets; {@code codes} what each code named in
 * {@code policy.codes} or in the entry's own {@code codes} gets (the code's rule, then the entry's fields, then the
 * entry's fields for that code). So the hot path only looks up.
 */
public record DmcRule(String manufacturer, String model, String firmware, CodePolicy rule, Map<String, CodePolicy> codes) {
  /** Matches any value of its field. */
  public static final String ANY = "*";

  public DmcRule {
    if (manufacturer == null || model == null || firmware == null) {
      throw new IllegalArgumentException("a dmc rule names manufacturer, model and firmware (each exact or *)");
    }
    if (rule == null) throw new IllegalArgumentException("a dmc rule needs its rule");
    codes = Map.copyOf(codes);
  }

  CodePolicy forCode(String alertCode) {
    CodePolicy p = codes.get(alertCode);
    return p != null ? p : rule;
  }
}
