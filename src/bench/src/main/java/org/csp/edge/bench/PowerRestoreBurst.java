package org.csp.edge.bench;

import org.csp.edge.sim.Eui64Ids;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's {@code power-restore} burst made endless: 8F12 once from each of ever more hubs (a new hub and meter
 * per alert, so only a regional view sees the storm); half as single messages, half in head-end arrays of
 * {@value #BATCH} on the topic {@code alerts}, interleaved.
 */
final class PowerRestoreBurst implements MessageStream {
  static final String CODE = "8F12";
  static final int BATCH = 50;
  private static final int SINGLES_PER_BLOCK = BATCH;

  private final Eui64Ids hubs = new Eui64Ids(0x40);
  private final Eui64Ids meters = new Eui64Ids(0x41);
  private final AtomicLong messages = new AtomicLong();

  @Override
  public BenchMessage next(long nowMicros) {
    long m = messages.getAndIncrement();
    long block = m / (SINGLES_PER_BLOCK + 1);
    int position = (int) (m % (SINGLES_PER_BLOCK + 1));
    long first = block * (SINGLES_PER_BLOCK + BATCH) + position;
    String raisedAt = MicroClock.iso(nowMicros);
    if (position < SINGLES_PER_BLOCK) {
      StringBuilder sb = new StringBuilder(320);
      String hubId = write(sb, first, raisedAt);
      return new BenchMessage("alerts/" + hubId, WireAlert.bytes(sb), 1);
    }
    StringBuilder sb = new StringBuilder(BATCH * 330).append('[');
    for (int i = 0; i < BATCH; i++) {
      if (i > 0) sb.append(',');
      write(sb, first + i, raisedAt);
    }
    return new BenchMessage("alerts", WireAlert.bytes(sb.append(']')), BATCH);
  }

  private String write(StringBuilder sb, long alert, String raisedAt) {
    String hubId = hubs.id(alert);
    // A fresh meter per alert: any counter is unique for it.
    WireAlert.write(sb, hubId, meters.id(alert), "ESME", CODE, WireAlert.counterBase(alert), raisedAt, alert, null);
    return hubId;
  }
}
