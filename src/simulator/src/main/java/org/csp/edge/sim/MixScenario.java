package org.csp.edge.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All the other scenarios at once, interleaved at random in proportion to their sizes, as a node would
 * see them on a bad day. Each part has its own seed and its own EUI-64 space, so parts never share a
 * device or a header.
 */
public final class MixScenario implements Scenario {

  public static final String NAME = "mix";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "every other scenario, interleaved";
  }

  @Override
  public MessageSource open(ScenarioContext context) {
    List<MessageSource> parts = new ArrayList<>();
    List<Scenario> scenarios = Scenarios.mixable();
    for (int i = 0; i < scenarios.size(); i++) {
      parts.add(scenarios.get(i).open(context.part(i)));
    }
    return Interleave.weighted(new SplittableRandom(context.seed()), parts);
  }
}
