package org.csp.edge.bench;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Reads what crosses a {@link PassThroughHop}: the publishers' own messages, unchanged. Counts the alerts in each (one
 * per {@code hubId}) and times the message from its first {@code raisedAt} to arrival.
 */
final class PassThroughTally implements FeedReading {
  private static final byte[] HUB_ID = ByteScan.key("hubId", true);

  private long messages;
  private long alerts;
  private LatencySamples endToEnd = new LatencySamples();

  @Override
  public void read(Buffer payload, long arrivalMicros) {
    byte[] b = payload.getBytes();
    messages++;
    alerts += ByteScan.count(b, HUB_ID);
    long raised = MicroClock.raisedAtMicros(b);
    if (raised != Long.MIN_VALUE) endToEnd.add(arrivalMicros - raised);
  }

  @Override
  public FeedCounts counts() {
    return new FeedCounts(messages, messages, alerts, Map.of(), 0);
  }

  @Override
  public LatencySamples takeLatencies() {
    LatencySamples taken = endToEnd;
    endToEnd = new LatencySamples();
    return taken;
  }
}
