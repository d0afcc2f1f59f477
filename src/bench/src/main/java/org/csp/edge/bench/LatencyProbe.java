package org.csp.edge.bench;

import org.csp.edge.sim.Eui64Ids;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thin stream of alerts the production policy always forwards, mixed into every scenario so that there are
 * forwarded alerts to time end to end at any rate: in a storm or a regional burst the scenario's own alerts are
 * consolidated or grouped, and would leave nothing to measure.
 *
 * <p>Ten codes no scenario uses, each from a new hub and device every time, at most {@value #MAX_RATE} alerts/s in all:
 * 10/s per code is 100 per regional window, half the regional threshold (200 in 10 s); no hub repeats a code.
 */
final class LatencyProbe implements MessageStream {
  static final double MAX_RATE = 100;
  static final List<String> CODES = List.of("8F50", "8F51", "8F52", "8F53", "8F54", "8F55", "8F56", "8F57", "8F58", "8F59");

  private final Eui64Ids hubs = new Eui64Ids(0x50);
  private final Eui64Ids devices = new Eui64Ids(0x51);
  private final AtomicLong sequence = new AtomicLong();

  /** The probe's share of an offered rate: 5 % of it, at most {@value #MAX_RATE}/s. */
  static double rateWithin(double offered) {
    return Math.min(MAX_RATE, offered * 0.05);
  }

  /** Probe alerts made so far: each one is sent as it is made. */
  long sent() {
    return sequence.get();
  }

  @Override
  public BenchMessage next(long nowMicros) {
    long n = sequence.getAndIncrement();
    String hubId = hubs.id(n);
    StringBuilder sb = new StringBuilder(320);
    WireAlert.write(sb, hubId, devices.id(n), "ESME", CODES.get((int) (n % CODES.size())), WireAlert.counterBase(n),
        MicroClock.iso(nowMicros), n, null);
    return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
  }
}
