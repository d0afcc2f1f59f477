package org.csp.edge.bench;

import org.csp.edge.sim.Eui64Ids;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's {@code gpf-8f3e} storm made endless: one hub whose gas proxy function, on a faulty firmware, repeats
 * 8F3E; one GPF alert in four goes out in a per-hub array of five (as the simulator sends them). Every alert of the
 * storm is for the same hub, so the node decides all of them on one Hazelcast partition, one after the other.
 *
 * <p>{@link #bystanders()} are the hub's other devices raising ordinary alerts, which the storm must not swallow.
 * They come at a fixed slow pace (the scenario sends six per 2 000 storm alerts; at storm rates that ratio would
 * make them storm too), so their alerts are always forwarded.
 */
final class HubStorm {
  private static final int SINGLES_PER_BLOCK = 15;
  private static final int BATCH = 5;
  private static final String GPF_CODE = "8F3E";
  /** The hub's other devices and the two codes each raises (as in the simulator). */
  private static final List<List<String>> OTHERS = List.of(
      List.of("ESME", "8F0A", "8F1C"), List.of("GSME", "8F36", "8F3F"), List.of("CHF", "8F01", "8F0F"));
  /** Alerts per second of the bystanders: each code once per 12 s, far below 10 in 60 s. */
  static final double BYSTANDER_RATE = 0.5;

  private final String hubId;
  private final String gpfId;
  private final long gpfCounterBase;
  private final Eui64Ids devices = new Eui64Ids(0x21);
  private final AtomicLong gpfMessages = new AtomicLong();
  private final AtomicLong otherAlerts = new AtomicLong();

  HubStorm() {
    hubId = new Eui64Ids(0x20).id(0);
    gpfId = devices.id(0);
    // Above Long.MAX_VALUE on purpose, as in the simulator: the storm must not trip over unsigned counters.
    gpfCounterBase = Long.MIN_VALUE + (1L << 40);
  }

  /** The GPF's 8F3E: per 20 alerts, 15 single messages and one array of 5. */
  MessageStream gpf() {
    return nowMicros -> {
      long m = gpfMessages.getAndIncrement();
      long block = m / (SINGLES_PER_BLOCK + 1);
      int position = (int) (m % (SINGLES_PER_BLOCK + 1));
      long firstAlert = block * (SINGLES_PER_BLOCK + BATCH) + position;
      String raisedAt = MicroClock.iso(nowMicros);
      StringBuilder sb = new StringBuilder(400);
      if (position < SINGLES_PER_BLOCK) {
        writeGpf(sb, firstAlert, raisedAt);
        return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
      }
      sb.append('[');
      for (int i = 0; i < BATCH; i++) {
        if (i > 0) sb.append(',');
        writeGpf(sb, firstAlert + i, raisedAt);
      }
      return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb.append(']')), BATCH);
    };
  }

  /** The hub's three other devices, two codes each, in turn. */
  MessageStream bystanders() {
    return nowMicros -> {
      long k = otherAlerts.getAndIncrement();
      int device = (int) ((k / 2) % OTHERS.size());
      List<String> spec = OTHERS.get(device);
      StringBuilder sb = new StringBuilder(320);
      WireAlert.write(sb, hubId, devices.id(1 + device), spec.get(0), spec.get(1 + (int) (k % 2)),
          WireAlert.counterBase(1 + device) + k, MicroClock.iso(nowMicros), k, null);
      return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
    };
  }

  private void writeGpf(StringBuilder sb, long alert, String raisedAt) {
    // The GPF always reports its model combination: that is how the faulty firmware is seen.
    WireAlert.write(sb, hubId, gpfId, "GPF", GPF_CODE, gpfCounterBase + alert, raisedAt, alert, WireAlert.FAULTY_GPF_DMC);
  }
}
