package org.csp.edge.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.sim.Eui64Ids;

/**
 * A DNO voltage storm as a region sees it: {@value #STORMING_HUBS} hubs at once, the electricity meter of each
 * repeating 8014 and 8015 {@value #REPEATS_PER_CODE} times each, over the background traffic of
 * {@value #BACKGROUND_HUBS} other hubs; {@value #STORM_PERCENT} % of the alerts are the storm's. When a set of hubs has
 * raised its share the storm moves on to a fresh set, so hubs keep entering and leaving storm by the thousand: the
 * regional view and the hubs' own state are both at work, as in the real event (the simulator's {@code voltage}
 * scenario at the scale of a distribution network).
 */
final class RegionalVoltageStorm implements MessageStream {
  static final int STORMING_HUBS = 5_000;
  static final int BACKGROUND_HUBS = 20_000;
  static final int STORM_PERCENT = 70;
  static final int REPEATS_PER_CODE = 60;
  private static final int ALERTS_PER_HUB = 2 * REPEATS_PER_CODE;
  private static final int PERCENT = 100;

  private final Eui64Ids hubs = new Eui64Ids(0x50);
  private final Eui64Ids meters = new Eui64Ids(0x51);
  private final HealthyTraffic background = new HealthyTraffic(BACKGROUND_HUBS);
  private final AtomicLong mixed = new AtomicLong();
  private final AtomicLong storm = new AtomicLong();

  /** The background hubs alone, which the region heard before the storm. */
  MessageStream background() {
    return background;
  }

  @Override
  public BenchMessage next(long nowMicros) {
    if (mixed.getAndIncrement() % PERCENT >= STORM_PERCENT) return background.next(nowMicros);
    long n = storm.getAndIncrement();
    long round = n / STORMING_HUBS;
    long hub = (round / ALERTS_PER_HUB) * STORMING_HUBS + n % STORMING_HUBS;
    long k = round % ALERTS_PER_HUB; // this hub's k-th alert of the storm
    String code = (k + hub) % 2 == 0 ? "8014" : "8015";
    String hubId = hubs.id(hub);
    StringBuilder sb = new StringBuilder(320);
    WireAlert.write(sb, hubId, meters.id(hub), "ESME", code, WireAlert.counterBase(hub) + k, MicroClock.iso(nowMicros),
        n, null);
    return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
  }
}
