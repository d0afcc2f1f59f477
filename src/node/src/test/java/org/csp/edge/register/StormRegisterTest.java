package org.csp.edge.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.csp.edge.alert.Dmc;
import org.junit.jupiter.api.Test;

/**
 * The register over simulated populations: hundreds of models whose devices all storm with the same propensity
 * flag none but at the false-discovery rate, over many seeds; one model storming five times as often is flagged,
 * and no other, over as many.
 */
class StormRegisterTest {
  private static final int SEEDS = 200;
  private static final int MODELS = 300;
  private static final long DAY = Duration.ofDays(1).toMillis();
  /** Per device and day: storms on 8F3E (the code under test) and on 8F35 (a second family of tests). */
  private static final double PROPENSITY_8F3E = 0.03;
  private static final double PROPENSITY_8F35 = 0.01;
  private static final Certainty DEFAULTS = new Certainty(0.01, 0.001, 2, 30);
  private static final Dmc STORMY = new Dmc("Acme", "GSME-9", "1.0.7");

  @Test
  void equalPropensitiesFlagNoneButAtTheFalseDiscoveryRate() {
    // BH alone (no minimum effect): with 600 tests at a raw 1 %, nearly every seed would flag something.
    StormRegister significanceOnly = new StormRegister(new Certainty(0.01, 0.001, 1, 30), List.of());
    int seedsWithAFlag = 0;
    int seedsWithAFlagByDefaults = 0;
    StormRegister byDefaults = new StormRegister(DEFAULTS, List.of());
    for (int seed = 0; seed < SEEDS; seed++) {
      List<Figures> population = population(seed, 1);
      if (flagged(significanceOnly.assess(population, DAY)) > 0) seedsWithAFlag++;
      if (flagged(byDefaults.assess(population, DAY)) > 0) seedsWithAFlagByDefaults++;
    }
    // All nulls: the FDR is the chance of any flag, at most 1 % (Fisher's test is conservative); slack to 2 %.
    assertTrue(seedsWithAFlag <= SEEDS * 0.02, seedsWithAFlag + " of " + SEEDS + " seeds flagged a model");
    assertTrue(seedsWithAFlagByDefaults <= SEEDS * 0.01, seedsWithAFlagByDefaults + " of " + SEEDS + " seeds flagged a model");
  }

  @Test
  void withoutTheCorrectionTheSameTrafficFlagsModels() {
    // What the test above guards against: each test taken at its own p-value would flag a model in most seeds.
    StormRegister register = new StormRegister(new Certainty(0.01, 0.001, 1, 30), List.of());
    int seedsWithARawFlag = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      if (register.assess(population(seed, 1), DAY).stream()
          .anyMatch(a -> a.evidence() != null && a.evidence().pValue() <= 0.01)) {
        seedsWithARawFlag++;
      }
    }
    assertTrue(seedsWithARawFlag >= SEEDS * 0.5, "raw p-values flag a model in " + seedsWithARawFlag + " seeds");
  }

  @Test
  void aModelStormingFiveTimesAsOftenIsFlaggedAndNoOther() {
    StormRegister register = new StormRegister(DEFAULTS, List.of());
    int found = 0;
    int othersFlagged = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      List<Assessment> entries = register.assess(population(seed, 5), DAY);
      Assessment stormy = entries.stream()
          .filter(a -> STORMY.equals(a.figures().dmc()) && a.figures().alertCode().equals("8F3E")).findFirst().orElseThrow();
      if (stormy.status() != Status.NONE) found++;
      othersFlagged += flagged(entries) - (stormy.status() != Status.NONE ? 1 : 0);
      if (seed == 0) {
        assertEquals(Status.CONFIRMED, stormy.status(), stormy.toString());
        assertEquals(stormy, entries.get(0), "confirmed entries come first");
        assertTrue(stormy.evidence().rateRatio() > 3 && stormy.evidence().lowerBound() >= 2, stormy.toString());
      }
    }
    assertTrue(found >= SEEDS * 0.98, "the stormy model was flagged in " + found + " of " + SEEDS + " seeds");
    assertTrue(othersFlagged <= SEEDS * 0.01, othersFlagged + " other models flagged over " + SEEDS + " seeds");
  }

  @Test
  void theUnknownAndTheThinAreShownButNotTested() {
    List<Figures> population = new ArrayList<>(population(1, 5));
    population.add(new Figures(null, "8F3E", 10_000, 5_000, 90_000));
    population.add(new Figures(new Dmc("Tiny", "T1", "0.1"), "8F3E", 29, 29, 3_000));
    List<Assessment> entries = new StormRegister(DEFAULTS, List.of()).assess(population, DAY);
    for (Assessment a : entries) {
      if (a.figures().dmc() == null || a.figures().dmc().manufacturer().equals("Tiny")) {
        assertEquals(Status.NONE, a.status());
        assertNull(a.evidence());
        assertTrue(a.excluded() != null);
      }
    }
    assertEquals(Status.CONFIRMED, entries.get(0).status(), "the unknown mix neither flags nor hides the stormy model");
    assertEquals(3_000.0 / 29, entries.stream().filter(a -> a.figures().devicesSeen() == 29).findFirst().orElseThrow()
        .alertsPerDeviceDay(), 1e-9);
  }

  private static long flagged(List<Assessment> entries) {
    return entries.stream().filter(a -> a.status() != Status.NONE).count();
  }

  /**
   * Hundreds of models with 40 to 400 devices each, every device seen in the day; each storms on 8F3E and on 8F35
   * with the same propensity, except {@link #STORMY} (300 devices), whose devices storm on 8F3E {@code factor}
   * times as often. Alerts: a storm is dozens of alerts from one device.
   */
  private static List<Figures> population(int seed, double factor) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Figures> out = new ArrayList<>();
    for (int m = 0; m < MODELS; m++) {
      boolean stormy = m == 0;
      Dmc dmc = stormy ? STORMY : new Dmc("Maker" + (m % 17), "M" + m, "fw" + (m % 5));
      int devices = stormy ? 300 : 40 + random.nextInt(361);
      for (String code : new String[] {"8F3E", "8F35"}) {
        double p = code.equals("8F3E") ? PROPENSITY_8F3E * (stormy ? factor : 1) : PROPENSITY_8F35;
        long stormed = 0;
        long alerts = devices; // the day's ordinary alerts
        for (int d = 0; d < devices; d++) {
          if (random.nextDouble() < p) {
            stormed++;
            alerts += 20 + random.nextInt(200);
          }
        }
        out.add(new Figures(dmc, code, devices, stormed, alerts));
      }
    }
    return out;
  }
}
