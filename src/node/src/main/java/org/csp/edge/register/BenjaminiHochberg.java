package org.csp.edge.register;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini-Hochberg's step-up adjustment: the adjusted p-value of each of m tests, so that flagging every test
 * whose adjusted value is at most q keeps the expected share of false flags among the flags at most q (for
 * independent or positively dependent tests). In log space, as the p-values come.
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  /** ln of the adjusted p-values, in the order given: min over j >= rank of p(j) m / j, at most 1. */
  public static double[] adjustLn(double[] lnP) {
    int m = lnP.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingDouble(i -> lnP[i]));
    double[] out = new double[m];
    double lnM = Math.log(m);
    double running = 0;
    for (int r = m; r >= 1; r--) {
      int i = order[r - 1];
      running = Math.min(running, lnP[i] + lnM - Math.log(r));
      out[i] = running;
    }
    return out;
  }
}
