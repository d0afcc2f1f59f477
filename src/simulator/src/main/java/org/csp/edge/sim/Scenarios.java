package org.csp.edge.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenarios known by name, in the order the usage text lists them. */
public final class Scenarios {

  private static final Map<String, Scenario> BY_NAME = new LinkedHashMap<>();

  static {
    for (Scenario scenario : List.of(new HealthyScenario(), new GpfStormScenario(), new VoltageStormScenario(),
      new PowerRestoreScenario(), new CounterResendScenario(), new BadInputScenario(), new MixScenario())) {
      BY_NAME.put(scenario.name(), scenario);
    }
  }

  private Scenarios() {
  }

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  public static List<Scenario> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** The scenario of that name, or an IllegalArgumentException that lists the known ones. */
  public static Scenario byName(String name) {
    Scenario scenario = BY_NAME.get(name);
    if (scenario == null) {
      throw new IllegalArgumentException("unknown scenario '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return scenario;
  }

  /** The scenarios {@code mix} interleaves: every one but itself. */
  static List<Scenario> mixable() {
    return BY_NAME.values().stream().filter(s -> !(s instanceof MixScenario)).toList();
  }
}
