package org.csp.edge.register;

/**
 * What it takes for an entry to be flagged: the false-discovery rate of each status (Benjamini-Hochberg), the
 * smallest ratio the lower confidence bound must reach, and the fewest devices seen for a DMC to be tested.
 */
public record Certainty(double suspectedFdr, double confirmedFdr, double minRateRatio, int minDevices) {
  public Certainty {
    if (!(confirmedFdr > 0 && confirmedFdr <= suspectedFdr && suspectedFdr < 1)) {
      throw new IllegalArgumentException("need 0 < confirmed FDR <= suspected FDR < 1");
    }
    if (minRateRatio < 1) throw new IllegalArgumentException("the minimum ratio is at least 1");
    if (minDevices < 1) throw new IllegalArgumentException("at least one device");
  }
}
