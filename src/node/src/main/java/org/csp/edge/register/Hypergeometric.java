package org.csp.edge.register;

/**
 * The one-sided Fisher exact test of a 2x2 table of devices (stormed or not, this DMC or the rest), as the upper
 * tail of the hypergeometric distribution: given every device seen and every device that stormed, the chance that
 * this DMC's share of them holds at least as many stormed devices as it does. Computed exactly (a sum of every
 * term of the tail) in log space: with millions of devices a p-value far below the smallest double still orders.
 */
public final class Hypergeometric {
  /** ln(k!) summed exactly below this; Stirling's series (error below 1e-20 there) from it on. */
  private static final int TABLE = 256;
  private static final double[] LN_FACTORIAL = new double[TABLE];
  private static final double HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  /** A term this much smaller than the sum so far (past the mode) changes nothing in a double. */
  private static final double NEGLIGIBLE = 1e-18;
  /** The running sum is rescaled past this, so that a tail whose first term is tiny never overflows. */
  private static final double RESCALE_ABOVE = 1e200;

  static {
    for (int k = 1; k < TABLE; k++) LN_FACTORIAL[k] = LN_FACTORIAL[k - 1] + Math.log(k);
  }

  private Hypergeometric() {}

  /** ln(n!). */
  public static double lnFactorial(long n) {
    if (n < 0) throw new IllegalArgumentException("n! of a negative n: " + n);
    if (n < TABLE) return LN_FACTORIAL[(int) n];
    double x = n;
    double inv = 1 / x;
    double inv2 = inv * inv;
    // Stirling: n ln n - n + ln(2 pi n)/2 + 1/(12n) - 1/(360n^3) + 1/(1260n^5) - 1/(1680n^7)
    return x * Math.log(x) - x + HALF_LN_TWO_PI + 0.5 * Math.log(x)
        + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
  }

  /** ln of the binomial coefficient C(n, k). */
  public static double lnChoose(long n, long k) {
    if (k < 0 || k > n) return Double.NEGATIVE_INFINITY;
    return lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k);
  }

  /**
   * ln P(Y >= x) for Y hypergeometric: {@code drawn} devices (this DMC's) out of {@code population} (all), of which
   * {@code marked} (all stormed) are marked; {@code x} the marked among the drawn (this DMC's stormed).
   */
  public static double lnUpperTail(long x, long drawn, long marked, long population) {
    if (drawn < 0 || marked < 0 || drawn > population || marked > population) {
      throw new IllegalArgumentException("not a hypergeometric: drawn " + drawn + ", marked " + marked + " of " + population);
    }
    long low = Math.max(0, drawn - (population - marked));
    long high = Math.min(drawn, marked);
    if (x <= low) return 0; // the whole distribution
    if (x > high) return Double.NEGATIVE_INFINITY;
    double lnFirst = lnChoose(marked, x) + lnChoose(population - marked, drawn - x) - lnChoose(population, drawn);
    double sum = 1;
    double term = 1;
    double lnScale = 0;
    for (long k = x; k < high; k++) {
      double ratio = (double) (marked - k) * (drawn - k) / ((double) (k + 1) * (population - marked - drawn + k + 1));
      term *= ratio;
      sum += term;
      if (ratio < 1 && term < sum * NEGLIGIBLE) break;
      if (sum > RESCALE_ABOVE) {
        lnScale += Math.log(sum);
        term /= sum;
        sum = 1;
      }
    }
    return Math.min(0, lnFirst + lnScale + Math.log(sum));
  }
}
