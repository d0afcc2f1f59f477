package org.csp.edge.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.sim.Eui64Ids;

/**
 * Regional bursts on several codes at once, as when an event touches every hub of an area (a firmware roll-out, a
 * network fault): each of ever more hubs raises each of {@link #CODES} once, from the device that raises it, the
 * codes interleaved. So as many regional bursts as codes are open together, and no hub storms on its own.
 */
final class SeveralCodesBurst implements MessageStream {
  /** Background codes (HealthyTraffic.CODES) from four kinds of device. */
  static final List<String> CODES = List.of("8F01", "8F0F", "8F1C", "8F3F");
  private static final int DEVICES_PER_HUB = 8;

  private final Eui64Ids hubs = new Eui64Ids(0x70);
  private final Eui64Ids devices = new Eui64Ids(0x71);
  private final AtomicLong sequence = new AtomicLong();

  @Override
  public BenchMessage next(long nowMicros) {
    long n = sequence.getAndIncrement();
    long hub = n / CODES.size();
    int slot = (int) (n % CODES.size());
    String code = CODES.get(slot);
    long device = hub * DEVICES_PER_HUB + slot;
    String hubId = hubs.id(hub);
    StringBuilder sb = new StringBuilder(320);
    WireAlert.write(sb, hubId, devices.id(device), HealthyTraffic.CODES.get(code), code, WireAlert.counterBase(device),
        MicroClock.iso(nowMicros), n, null);
    return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
  }
}
