package org.csp.edge.bench;

/**
 * A head-end relaying the region's ordinary traffic in batches: JSON arrays of {@value #SIZE} alerts from as many
 * hubs, on the topic {@code alerts} (wire format: a batch that mixes hubs). The alerts are {@link HealthyTraffic}'s,
 * so per alert the node does the same work as for healthy singles, minus the per-message costs that batching saves.
 */
final class HeadEndBatches implements MessageStream {
  static final int SIZE = 50;

  private final HealthyTraffic alerts;

  HeadEndBatches(HealthyTraffic alerts) {
    this.alerts = alerts;
  }

  @Override
  public BenchMessage next(long nowMicros) {
    long first = alerts.reserve(SIZE);
    String raisedAt = MicroClock.iso(nowMicros);
    StringBuilder sb = new StringBuilder(SIZE * 330).append('[');
    for (int i = 0; i < SIZE; i++) {
      if (i > 0) sb.append(',');
      alerts.write(sb, first + i, raisedAt);
    }
    return new BenchMessage("alerts", WireAlert.bytes(sb.append(']')), SIZE);
  }
}
