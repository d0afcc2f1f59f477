package org.csp.edge.bench;

import java.util.Arrays;

/**
 * Every latency of a step, in microseconds, kept whole: a sorted {@code long[]} gives exact percentiles without a
 * histogram library (HdrHistogram is not a dependency of the project). A step of a few seconds at the top rates is a
 * few hundred thousand samples: a few megabytes, sorted in milliseconds. Not thread-safe: each connection or
 * subscriber owns its own, and they are merged after the step.
 */
final class LatencySamples {
  private long[] values = new long[4096];
  private int size;

  void add(long micros) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = micros;
  }

  void addAll(LatencySamples other) {
    if (size + other.size > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, size + other.size));
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
  }

  int size() {
    return size;
  }

  Percentiles percentiles() {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return new Percentiles(size, rank(sorted, 0.50), rank(sorted, 0.99), rank(sorted, 0.999),
        size == 0 ? Double.NaN : sorted[size - 1] / 1000.0);
  }

  /** Nearest-rank percentile, in milliseconds. */
  private static double rank(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
  }
}
