package org.csp.edge.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The exact p-value against hand-computed Fisher tests and exact rational arithmetic. */
class HypergeometricTest {

  @Test
  void fishersTeaTastingTable() {
    // 3 of the DMC's 4 devices stormed, 1 of the rest's 4: P = (C(4,3)C(4,1) + C(4,4)C(4,0)) / C(8,4) = 17/70.
    assertEquals(17.0 / 70, Math.exp(Hypergeometric.lnUpperTail(3, 4, 4, 8)), 1e-12);
    // Every device stormed: only the table itself, 1/70.
    assertEquals(1.0 / 70, Math.exp(Hypergeometric.lnUpperTail(4, 4, 4, 8)), 1e-12);
    // None stormed: the whole distribution.
    assertEquals(0.0, Hypergeometric.lnUpperTail(0, 4, 4, 8));
  }

  @Test
  void aSmallTableByHand() {
    // 2 of 3 stormed vs 0 of 5: P(Y >= 2) with 3 drawn of 8, 2 marked = C(2,2)C(6,1)/C(8,3) = 6/56.
    assertEquals(6.0 / 56, Math.exp(Hypergeometric.lnUpperTail(2, 3, 2, 8)), 1e-12);
  }

  @Test
  void matchesExactRationalArithmeticOnLargeTables() {
    long[][] cases = { // x, drawn, marked, population
        {12, 300, 40, 20_000}, {30, 300, 150, 60_000}, {45, 300, 1_800, 60_000}, {5, 1_000, 600, 100_000},
        {60, 500, 3_000, 100_000}, {1, 50, 1, 10_000}};
    for (long[] c : cases) {
      double exact = lnExact(c[0], c[1], c[2], c[3]);
      double computed = Hypergeometric.lnUpperTail(c[0], c[1], c[2], c[3]);
      assertEquals(exact, computed, Math.max(1e-9, Math.abs(exact) * 1e-10),
          "x=" + c[0] + " drawn=" + c[1] + " marked=" + c[2] + " of " + c[3]);
    }
  }

  @Test
  void farBelowTheSmallestDoubleStillOrdered() {
    // 500 of 500 stormed, none of a million others: P = 1 / C(1,000,500, 500), about 10^-1700.
    double ln = Hypergeometric.lnUpperTail(500, 500, 500, 1_000_500);
    double byHand = 0;
    for (int i = 1; i <= 500; i++) byHand -= Math.log((1_000_000.0 + i) / i);
    assertEquals(byHand, ln, Math.abs(byHand) * 1e-10);
    assertTrue(ln / Math.log(10) < -1500);
    assertTrue(Hypergeometric.lnUpperTail(499, 500, 500, 1_000_500) > ln, "one device fewer is less extreme");
  }

  @Test
  void lnFactorialAcrossTheTableAndStirling() {
    BigInteger f = BigInteger.ONE;
    for (int n = 1; n <= 400; n++) {
      f = f.multiply(BigInteger.valueOf(n));
      assertEquals(lnBig(new BigDecimal(f)), Hypergeometric.lnFactorial(n), 1e-9 * Math.max(1, Math.log(n) * n), "ln " + n + "!");
    }
  }

  /** ln P(Y >= x) summed term by term in exact integers. */
  private static double lnExact(long x, long drawn, long marked, long population) {
    BigInteger sum = BigInteger.ZERO;
    for (long k = x; k <= Math.min(drawn, marked); k++) {
      sum = sum.add(choose(marked, k).multiply(choose(population - marked, drawn - k)));
    }
    return lnBig(new BigDecimal(sum)) - lnBig(new BigDecimal(choose(population, drawn)));
  }

  private static BigInteger choose(long n, long k) {
    BigInteger r = BigInteger.ONE;
    for (long i = 1; i <= k; i++) r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
    return r;
  }

  private static double lnBig(BigDecimal v) {
    int digits = v.precision() - v.scale();
    BigDecimal mantissa = v.movePointLeft(digits);
    return Math.log(mantissa.round(MathContext.DECIMAL64).doubleValue()) + digits * Math.log(10);
  }
}
