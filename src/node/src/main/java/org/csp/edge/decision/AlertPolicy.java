package org.csp.edge.decision;

import java.time.Duration;
import java.util.Map;

/**
 * The policy in force: default rules, per-code overrides, and how duplicate headers are remembered.
 * Immutable; it travels inside entry processors, so it must stay small and serializable. The configuration
 * reads and writes it ({@code config.PolicyJson}); this package knows nothing of JSON.
 */
public record AlertPolicy(
    CodePolicy defaults,
    Map<String, CodePolicy> codes,
    Duration duplicateRetention,
    int duplicateMemoryPerDevice,
    int maxHubsPerGroup) {

  public static final AlertPolicy DEFAULTS =
      new AlertPolicy(CodePolicy.DEFAULTS, Map.of(), Duration.ofHours(24), 32, 500);

  public AlertPolicy {
    codes = Map.copyOf(codes);
    if (duplicateMemoryPerDevice < 1) throw new IllegalArgumentException("policy.duplicates.perDevice must be at least 1");
    if (maxHubsPerGroup < 1) throw new IllegalArgumentException("policy.maxHubsPerGroup must be at least 1");
  }

  public CodePolicy forCode(String alertCode) {
    CodePolicy p = codes.get(alertCode);
    return p != null ? p : defaults;
  }
}
