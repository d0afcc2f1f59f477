package org.csp.edge.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.sim.Eui64Ids;

/**
 * Power comes back across a region, hub after hub: each electricity meter reports its supply restored ({@value
 * #RESTORED}), and a little later ({@value #REJOIN_LAG_HUBS} hubs on) the hub's gas meter and in-home display rejoin
 * the Home Area Network ({@value #REJOINED}). Every hub raises each alert once, so only the regional view sees the
 * storm; fresh hubs keep coming, so a run at full rate passes 100,000 hubs within a minute and never runs out.
 */
final class PowerRestoration implements MessageStream {
  static final String RESTORED = "8F12";
  static final String REJOINED = "8183";
  static final int REJOIN_LAG_HUBS = 2_000;
  private static final String[] REJOINING_TYPES = {"GSME", "IHD"};
  private static final int ALERTS_PER_HUB = 1 + REJOINING_TYPES.length;
  private static final int DEVICES_PER_HUB = 4;

  private final Eui64Ids hubs = new Eui64Ids(0x60);
  private final Eui64Ids devices = new Eui64Ids(0x61);
  private final AtomicLong sequence = new AtomicLong();

  @Override
  public BenchMessage next(long nowMicros) {
    long n = sequence.getAndIncrement();
    int slot = (int) (n % ALERTS_PER_HUB);
    long restoring = n / ALERTS_PER_HUB + REJOIN_LAG_HUBS;
    // The hubs below the lag had their supply restored before the run began: the run sees their rejoins only.
    long hub = slot == 0 ? restoring : restoring - REJOIN_LAG_HUBS;
    String type = slot == 0 ? "ESME" : REJOINING_TYPES[slot - 1];
    long device = hub * DEVICES_PER_HUB + slot;
    String hubId = hubs.id(hub);
    StringBuilder sb = new StringBuilder(320);
    WireAlert.write(sb, hubId, devices.id(device), type, slot == 0 ? RESTORED : REJOINED,
        WireAlert.counterBase(device), MicroClock.iso(nowMicros), n, null);
    return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
  }
}
