package org.csp.edge.register;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Against R's p.adjust(p, "BH"). */
class BenjaminiHochbergTest {

  @Test
  void asRsPAdjust() {
    double[] p = {0.042, 0.001, 0.205, 0.039, 0.008, 0.06, 0.041, 0.074};
    double[] expected = {0.0672, 0.008, 0.205, 0.0672, 0.032, 0.08, 0.0672, 0.0845714285714286};
    assertArrayEquals(expected, adjusted(p), 1e-12);
    assertArrayEquals(new double[] {0.05, 0.05, 0.05, 0.05, 0.05}, adjusted(new double[] {0.01, 0.02, 0.03, 0.04, 0.05}), 1e-12);
    assertArrayEquals(new double[] {1, 1}, adjusted(new double[] {0.9, 1}), 1e-12);
  }

  private static double[] adjusted(double[] p) {
    double[] ln = Arrays.stream(p).map(Math::log).toArray();
    return Arrays.stream(BenjaminiHochberg.adjustLn(ln)).map(Math::exp).toArray();
  }
}
