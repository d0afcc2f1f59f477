package org.csp.edge.decision;

/**
 * A sliding-window rate in O(1) memory: the count of the current fixed bucket plus the previous bucket's count
 * weighted by how much of it still overlaps the window. Accurate enough for thresholds, and a hub costs 16 bytes.
 * Not final: a hub's {@link CodeStorm} is a rate window, so that a tracked hub and code is one object, not two.
 */
class RateWindow {
  private long bucketStart;
  private int current;
  private int previous;

  /** Counts one event at {@code now} and returns the estimated number within the last {@code window}. */
  double record(long now, long window) {
    roll(now, window);
    current++;
    return estimate(now, window);
  }

  double estimate(long now, long window) {
    roll(now, window);
    double overlap = 1.0 - (double) (now - bucketStart) / window;
    return previous * overlap + current;
  }

  /** Packed relative to {@code base} (the hub's last alert), which the bucket start is close to. */
  void packWindow(Packing.Writer out, long base) {
    out.zigzag(base - bucketStart);
    out.varInt(current);
    out.varInt(previous);
  }

  void unpackWindow(Packing.Reader in, long base) {
    bucketStart = base - in.zigzag();
    current = in.varInt();
    previous = in.varInt();
  }

  private void roll(long now, long window) {
    if (now < bucketStart + window) return;
    previous = now < bucketStart + 2 * window ? current : 0;
    current = 0;
    bucketStart = now - Math.floorMod(now, window);
  }
}
