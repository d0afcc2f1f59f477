package org.csp.edge.register;

/**
 * The ratio of two shares of devices that stormed (this DMC's over the rest's) and its one-sided lower confidence
 * bound by the Wald interval on the log scale (Katz): ln(rr) - z * sqrt(1/a - 1/n1 + 1/b - 1/n0). When the rest
 * has no stormed device, half a device is added to each cell (Haldane-Anscombe), so the ratio and its bound stay
 * finite. Approximate (the p-value is the exact one); the minimum exposure keeps it in its range of use.
 */
public record RiskRatio(double ratio, double lowerBound) {
  /**
   * @param confidence the one-sided level of the bound, e.g. 0.99
   */
  public static RiskRatio of(long stormed, long seen, long restStormed, long restSeen, double confidence) {
    if (stormed == 0 || seen == 0 || restSeen == 0) return new RiskRatio(0, 0);
    double a = stormed, n1 = seen, b = restStormed, n0 = restSeen;
    if (restStormed == 0) {
      a += 0.5;
      b += 0.5;
      n1 += 1;
      n0 += 1;
    }
    double ratio = (a / n1) / (b / n0);
    double se = Math.sqrt(Math.max(0, 1 / a - 1 / n1 + 1 / b - 1 / n0));
    return new RiskRatio(ratio, Math.exp(Math.log(ratio) - NormalQuantile.of(confidence) * se));
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
  static final class NormalQuantile {
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    private static final double LOW = 0.02425;

    private NormalQuantile() {}

    static double of(double p) {
      if (!(p > 0 && p < 1)) throw new IllegalArgumentException("a quantile's probability is in (0, 1), got " + p);
      if (p < LOW) {
        double q = Math.sqrt(-2 * Math.log(p));
        return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
      }
      if (p > 1 - LOW) return -of(1 - p);
      double q = p - 0.5;
      double r = q * q;
      return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
          / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
  }
}
