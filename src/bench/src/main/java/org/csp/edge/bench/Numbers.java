package org.csp.edge.bench;

import java.util.Locale;

/** Rounding and formatting shared by the JSON and Markdown reports; NaN (nothing measured) becomes null or "n/a". */
final class Numbers {
  private Numbers() {}

  static Double round3(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000) / 1000.0;
  }

  static Double round1(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 10) / 10.0;
  }

  /** Milliseconds: two decimals under 10, one under 100, none above. */
  static String ms(double v) {
    if (Double.isNaN(v)) return "n/a";
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
  }

  /** A rate with thousands separators. */
  static String rate(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
  }
}
