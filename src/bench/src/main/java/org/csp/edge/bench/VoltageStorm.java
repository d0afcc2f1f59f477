package org.csp.edge.bench;

import org.csp.edge.sim.Eui64Ids;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's {@code voltage} storm made endless: {@value #OPEN_HUBS} hubs storm at once, the electricity meter
 * of each repeating 8014 and 8015 {@value #REPEATS_PER_CODE} times each (the scenario's storm per hub); a hub that
 * is done is replaced by a new one. So the node always has many hubs in storm, each going through the whole life of
 * a storm: forwarded until the threshold, then consolidated.
 */
final class VoltageStorm implements MessageStream {
  static final int OPEN_HUBS = 40;
  static final int REPEATS_PER_CODE = 150;
  private static final int ALERTS_PER_HUB = 2 * REPEATS_PER_CODE;

  private final Eui64Ids hubs = new Eui64Ids(0x30);
  private final Eui64Ids meters = new Eui64Ids(0x31);
  private final AtomicLong sequence = new AtomicLong();

  @Override
  public BenchMessage next(long nowMicros) {
    long n = sequence.getAndIncrement();
    long round = n / OPEN_HUBS;
    long hub = (round / ALERTS_PER_HUB) * OPEN_HUBS + n % OPEN_HUBS;
    long k = round % ALERTS_PER_HUB; // this hub's k-th alert
    String code = (k + hub) % 2 == 0 ? "8014" : "8015";
    String hubId = hubs.id(hub);
    StringBuilder sb = new StringBuilder(320);
    WireAlert.write(sb, hubId, meters.id(hub), "ESME", code, WireAlert.counterBase(hub) + k, MicroClock.iso(nowMicros),
        n, null);
    return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
  }
}
