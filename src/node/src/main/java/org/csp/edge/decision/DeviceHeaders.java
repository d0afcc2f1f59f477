package org.csp.edge.decision;

/**
 * The originator counters recently seen from one device, to spot a resent header. A small ring: a meter that
 * repeats a counter does so soon; older counters fall out by age (retention) or by room (memory per device).
 *
 * <p>Kept small because there is one per device of every tracked hub (src/bench/results/2026-11-23-memory.md): the
 * device's EUI-64 as a long, and the ring as one array of (counter, seen at) pairs that grows as counters come, up
 * to the memory per device, instead of two full arrays from the first alert. What it remembers is the same: the
 * last {@code memory} counters.
 */
final class DeviceHeaders {
  private final long device;
  private final int memory;
  /** Counter at 2i, when it was seen at 2i + 1; its length grows to 2 x memory. */
  private long[] ring;
  private int next;
  private int size;

  DeviceHeaders(long device, int memory) {
    this(device, memory, 1);
  }

  private DeviceHeaders(long device, int memory, int capacity) {
    this.device = device;
    this.memory = memory;
    this.ring = new long[2 * capacity];
  }

  /** Device, memory, ring capacity and position, then the counters held with when they were seen (from {@code base}). */
  void pack(Packing.Writer out, long base) {
    out.fixed64(device);
    out.varInt(memory);
    out.varInt(ring.length / 2);
    out.varInt(next);
    out.varInt(size);
    // The held counters are always the first {@code size} pairs: the ring wraps only when full.
    for (int i = 0; i < size; i++) {
      out.zigzag(ring[2 * i]);
      out.zigzag(base - ring[2 * i + 1]);
    }
  }

  static DeviceHeaders unpack(Packing.Reader in, long base) {
    long device = in.fixed64();
    int memory = in.varInt();
    DeviceHeaders h = new DeviceHeaders(device, memory, in.varInt());
    h.next = in.varInt();
    h.size = in.varInt();
    for (int i = 0; i < h.size; i++) {
      h.ring[2 * i] = in.zigzag();
      h.ring[2 * i + 1] = base - in.zigzag();
    }
    return h;
  }

  boolean isFor(long device) {
    return this.device == device;
  }

  /** True when the counter was seen within {@code retention}; otherwise remembers it and returns false. */
  boolean seenBefore(long counter, long now, long retention) {
    long oldest = now - retention;
    for (int i = 0; i < size; i++) {
      if (ring[2 * i] == counter && ring[2 * i + 1] >= oldest) return true;
    }
    int capacity = ring.length / 2;
    if (size == capacity && capacity < memory) {
      // Not wrapped yet (the ring only wraps at full memory): the old slots keep their order, the next is the first new.
      ring = java.util.Arrays.copyOf(ring, 2 * Math.min(memory, 2 * capacity));
      next = size;
      capacity = ring.length / 2;
    }
    ring[2 * next] = counter;
    ring[2 * next + 1] = now;
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
    return false;
  }

  /** An EUI-64 as the parser leaves it (XX-XX-XX-XX-XX-XX-XX-XX, upper case) as its 64 bits. */
  static long eui64(String id) {
    if (id.length() != 23) throw new IllegalArgumentException("not an EUI-64: " + id);
    long value = 0;
    for (int i = 0; i < 23; i++) {
      if (i % 3 == 2) {
        if (id.charAt(i) != '-') throw new IllegalArgumentException("not an EUI-64: " + id);
        continue;
      }
      int digit = Character.digit(id.charAt(i), 16);
      if (digit < 0) throw new IllegalArgumentException("not an EUI-64: " + id);
      value = value << 4 | digit;
    }
    return value;
  }
}
