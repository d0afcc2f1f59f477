package org.csp.edge.register;

/**
 * One entry of the register: the figures, the status and its evidence.
 *
 * @param alertsPerDeviceDay the DMC's alerts of the code per device seen and day of the window
 * @param evidence null when the entry is not tested ({@code excluded} says why)
 * @param excluded why it was not tested (unknown DMC, too few devices, nothing to compare with); null when tested
 */
public record Assessment(Figures figures, Status status, double alertsPerDeviceDay, Evidence evidence, String excluded) {

  /**
   * @param lnPValue ln of the one-sided exact p-value
   * @param lnAdjustedPValue ln of the Benjamini-Hochberg adjusted p-value over every tested DMC and code
   * @param rateRatio the share of this DMC's devices that stormed over the rest's
   * @param lowerBound the one-sided lower confidence bound of the ratio at {@code confidence}
   */
  public record Evidence(double lnPValue, double lnAdjustedPValue, double rateRatio, double lowerBound,
      double confidence, long restSeen, long restStormed) {
    public double pValue() {
      return Math.exp(lnPValue);
    }

    public double adjustedPValue() {
      return Math.exp(lnAdjustedPValue);
    }

    /** log10 of the p-value: readable where the p-value itself is below the smallest double. */
    public double log10PValue() {
      return lnPValue / Math.log(10);
    }
  }
}
