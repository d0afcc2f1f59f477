package org.csp.edge.decision;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Dmc;
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
    DmcRules dmcs,
    List<Inhibition> inhibitions) {

  /**
   * A real hub relays a handful of devices (ESME, GSME, GPF, IHD, PPMID...) and raises a few dozen codes: the
   * bounds per hub leave room for that many times over; past them is a fault or an attack (src/docs/design.md).
   */
  public static final AlertPolicy DEFAULTS =
      new AlertPolicy(CodePolicy.DEFAULTS, Map.of(), Duration.ofHours(24), 32, 500, 100, 64, 64, DmcRules.NONE,
          List.of(Inhibitions.HUB_POWER_RESTORED));

  /** A policy without rules per device model and without inhibition rules. */
  public AlertPolicy(CodePolicy defaults, Map<String, CodePolicy> codes, Duration duplicateRetention,
      int duplicateMemoryPerDevice, int maxHubsPerGroup, int maxDevicesPerSummary, int maxDevicesPerHub,
      int maxCodesPerHub) {
    this(defaults, codes, duplicateRetention, duplicateMemoryPerDevice, maxHubsPerGroup, maxDevicesPerSummary,
        maxDevicesPerHub, maxCodesPerHub, DmcRules.NONE, List.of());
  }

  public AlertPolicy {
    codes = Map.copyOf(codes);
    if (dmcs == null) dmcs = DmcRules.NONE;
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

  /**
   * The rule for one alert: its device model's ({@code policy.dmcs}) when an entry matches its dmc, else its code's;
   * an exempt code (forward mode) keeps its rule whatever the model.
   * On the hot path: no allocation.
   */
  public CodePolicy forAlert(String alertCode, Dmc dmc) {
    CodePolicy code = forCode(alertCode);
    // A code in forward mode is exempt for every device model: no entry may delay it (issue 19, an invariant).
    if (code.mode() == CodeMode.FORWARD) return code;
    DmcRule model = dmcs.match(dmc);
    return model != null ? model.forCode(alertCode) : code;
  }

  /** The code's rule, whatever the device: what times a hub's open storm, which spans the hub's devices. */
  public CodePolicy forCode(String alertCode) {
    CodePolicy p = codes.get(alertCode);
    return p != null ? p : defaults;
  }
}
