package org.csp.edge.decision;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy in force: default rules, per-code overrides, how duplicate headers are remembered, the bounds
 * that keep one hub's state and one event small whatever a client sends, and the inhibition rules.
 * Immutable; it travels inside entry processors, so it must stay small and serializable. The configuration
 * reads and writes it ({@code config.PolicyJson}); this package knows nothing of JSON.
 */
public record AlertPolicy(
    CodePolicy defaults,
    Map<String, CodePolicy> codes,
    Duration duplicateRetention,
    int duplicateMemoryPerDevice,
    int maxHubsPerGroup,
    int maxDevicesPerSummary,
    int maxDevicesPerHub,
    int maxCodesPerHub,
    List<Inhibition> inhibitions) {

  /**
   * A real hub relays a handful of devices (ESME, GSME, GPF, IHD, PPMID...) and raises a few dozen codes: the
   * bounds per hub leave room for that many times over; past them is a fault or an attack (src/docs/design.md).
   */
  public static final AlertPolicy DEFAULTS =
      new AlertPolicy(CodePolicy.DEFAULTS, Map.of(), Duration.ofHours(24), 32, 500, 100, 64, 64,
          List.of(Inhibitions.HUB_POWER_RESTORED));

  /** The policy without inhibition rules. */
  public AlertPolicy(CodePolicy defaults, Map<String, CodePolicy> codes, Duration duplicateRetention,
      int duplicateMemoryPerDevice, int maxHubsPerGroup, int maxDevicesPerSummary, int maxDevicesPerHub,
      int maxCodesPerHub) {
    this(defaults, codes, duplicateRetention, duplicateMemoryPerDevice, maxHubsPerGroup, maxDevicesPerSummary,
        maxDevicesPerHub, maxCodesPerHub, List.of());
  }

  public AlertPolicy {
    codes = Map.copyOf(codes);
    inhibitions = List.copyOf(inhibitions);
    Set<String> names = new java.util.HashSet<>();
    for (Inhibition i : inhibitions) {
      if (!names.add(i.name())) throw new IllegalArgumentException("policy.inhibitions: the name '" + i.name() + "' is used twice");
    }
    if (duplicateMemoryPerDevice < 1) throw new IllegalArgumentException("policy.duplicates.perDevice must be at least 1");
    if (maxHubsPerGroup < 1) throw new IllegalArgumentException("policy.maxHubsPerGroup must be at least 1");
    if (maxDevicesPerSummary < 1) throw new IllegalArgumentException("policy.maxDevicesPerSummary must be at least 1");
    if (maxDevicesPerHub < 1) throw new IllegalArgumentException("policy.maxDevicesPerHub must be at least 1");
    if (maxCodesPerHub < 1) throw new IllegalArgumentException("policy.maxCodesPerHub must be at least 1");
  }

  public CodePolicy forCode(String alertCode) {
    CodePolicy p = codes.get(alertCode);
    return p != null ? p : defaults;
  }
}
