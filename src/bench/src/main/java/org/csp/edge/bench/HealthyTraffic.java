package org.csp.edge.bench;

import org.csp.edge.sim.Eui64Ids;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background traffic, the simulator's {@code healthy} shape made endless: single alerts of assorted codes from a large
 * population of hubs, never more than two of one code from one hub within a storm window, so a node with the
 * production policy has no hub storm to consolidate.
 *
 * <p>Alert {@code n} comes from hub {@code n mod hubPool} on that hub's visit {@code n / hubPool}; a hub cycles
 * through the 24 background codes, so one code comes back to a hub every {@code 24 x hubPool} alerts. The pool is
 * sized from the highest rate of the run (see {@link BenchScenario}), which keeps that above 60 s of traffic.
 * The hub's visit number is also its devices' header counter step, so counters never repeat.
 */
final class HealthyTraffic implements MessageStream {
  /** The simulator's background codes (sim.AlertCodes.BACKGROUND) and the device type raising each. */
  static final Map<String, String> CODES = Map.ofEntries(
      Map.entry("8F0A", "ESME"), Map.entry("8F1C", "ESME"), Map.entry("8F36", "GSME"), Map.entry("8F3E", "GPF"),
      Map.entry("8014", "ESME"), Map.entry("8F01", "CHF"), Map.entry("8F0F", "CHF"), Map.entry("8F3F", "GSME"),
      Map.entry("8F84", "PPMID"), Map.entry("8106", "IHD"), Map.entry("8F20", "ESME"), Map.entry("8F35", "GSME"),
      Map.entry("8F02", "CHF"), Map.entry("8F04", "CHF"), Map.entry("8F0B", "ESME"), Map.entry("8F0C", "ESME"),
      Map.entry("8F13", "ESME"), Map.entry("8F19", "GSME"), Map.entry("8F1A", "GSME"), Map.entry("8F21", "ESME"),
      Map.entry("8F2A", "GPF"), Map.entry("8F30", "GSME"), Map.entry("8F33", "HCALCS"), Map.entry("8F40", "PPMID"));
  private static final List<String> CODE_ORDER = CODES.keySet().stream().sorted().toList();
  private static final List<String> DEVICE_TYPES = List.of("ESME", "GSME", "GPF", "CHF", "PPMID", "HCALCS", "IHD");

  private final Eui64Ids hubs = new Eui64Ids(0x10);
  private final Eui64Ids devices = new Eui64Ids(0x11);
  private final long hubPool;
  private final AtomicLong sequence = new AtomicLong();

  HealthyTraffic(long hubPool) {
    this.hubPool = hubPool;
  }

  @Override
  public BenchMessage next(long nowMicros) {
    long n = sequence.getAndIncrement();
    String hubId = hubs.id(n % hubPool);
    StringBuilder sb = new StringBuilder(320);
    write(sb, n, hubId, MicroClock.iso(nowMicros));
    return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
  }

  /** Reserves {@code count} consecutive alerts (a head-end batch) and returns the first one's number. */
  long reserve(int count) {
    return sequence.getAndAdd(count);
  }

  /** Writes alert {@code n}: from its hub, which a head-end batch writes into the body only. */
  void write(StringBuilder sb, long n, String raisedAt) {
    write(sb, n, hubs.id(n % hubPool), raisedAt);
  }

  private void write(StringBuilder sb, long n, String hubId, String raisedAt) {
    long hub = n % hubPool;
    long visit = n / hubPool;
    String code = CODE_ORDER.get((int) ((visit + hub * 7) % CODE_ORDER.size()));
    String type = CODES.get(code);
    long device = hub * 8 + DEVICE_TYPES.indexOf(type);
    WireAlert.write(sb, hubId, devices.id(device), type, code, WireAlert.counterBase(device) + visit, raisedAt, n, null);
  }
}
