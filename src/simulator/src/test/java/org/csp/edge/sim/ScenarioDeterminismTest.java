package org.csp.edge.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioDeterminismTest {

  @Test
  void everyScenarioGivesTheSameBytesForTheSameSeed() {
    for (Scenario scenario : Scenarios.all()) {
      for (ScenarioContext context : List.of(TestContexts.mqtt(7, 0.05), TestContexts.ndjson(7, 0.05))) {
        List<SimMessage> first = scenario.generate(context);
        List<SimMessage> second = scenario.generate(context);
        assertEquals(first, second, scenario.name() + " over " + context.transport() + " is not reproducible");
        assertTrue(!first.isEmpty(), scenario.name() + " sends nothing");
      }
    }
  }

  @Test
  void anotherSeedGivesOtherMessages() {
    for (Scenario scenario : Scenarios.all()) {
      assertNotEquals(scenario.generate(TestContexts.mqtt(1, 0.05)), scenario.generate(TestContexts.mqtt(2, 0.05)),
        scenario.name());
    }
  }

  @Test
  void theDeclaredTotalIsWhatTheSourceProduces() {
    for (Scenario scenario : Scenarios.all()) {
      for (double scale : new double[] {0.001, 0.05, 0.37}) {
        MessageSource source = scenario.open(TestContexts.mqtt(3, scale));
        long declared = source.total();
        assertEquals(declared, source.drain().size(), scenario.name() + " at scale " + scale);
      }
    }
  }

  @Test
  void scaleMultipliesTheDefaultSizes() {
    assertEquals(2000 + 6, units(new GpfStormScenario(), 1.0));
    assertEquals(200 + 6, units(new GpfStormScenario(), 0.1));
    assertEquals(VoltageStormScenario.DEFAULT_HUBS * 2 * VoltageStormScenario.REPEATS_PER_CODE,
        units(new VoltageStormScenario(), 1.0));
    assertEquals(2000, units(new PowerRestoreScenario(), 1.0));
    assertEquals(200, units(new PowerRestoreScenario(), 0.1));
  }

  private static long units(Scenario scenario, double scale) {
    return scenario.generate(TestContexts.mqtt(11, scale)).stream().mapToLong(SimMessage::alertsSent).sum();
  }
}
