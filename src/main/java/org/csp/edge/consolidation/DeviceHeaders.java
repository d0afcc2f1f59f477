package org.csp.edge.consolidation;

import java.io.Serializable;

/**
 * The originator counters recently seen from one device, to spot a resent header. A small ring: a meter that
 * repeats a counter does so soon; older counters fall out by age (retention) or by room (memory per device).
 */
final class DeviceHeaders implements Serializable {
  private final long[] counters;
  private final long[] seenAt;
  private int next;
  private int size;

  DeviceHeaders(int memory) {
    counters = new long[memory];
    seenAt = new long[memory];
  }

  /** True when the counter was seen within {@code retention}; otherwise remembers it and returns false. */
  boolean seenBefore(long counter, long now, long retention) {
    long oldest = now - retention;
    for (int i = 0; i < size; i++) {
      if (counters[i] == counter && seenAt[i] >= oldest) return true;
    }
    counters[next] = counter;
    seenAt[next] = now;
    next = (next + 1) % counters.length;
    size = Math.min(size + 1, counters.length);
    return false;
  }
}
