package org.csp.edge.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the node's northbound events as the DSP counts them: once per {@code eventId}, adding up {@code count}; times
 * each forwarded {@code alert} from its {@code raisedAt} (the send time) to arrival.
 *
 * <p>It reads only the four fields it needs, by scanning the bytes; the simulator's DspFeed instead parses every
 * event into a JsonObject and keeps them all, which costs several times more CPU per event and memory for the whole
 * run (measured in src/bench/results/2026-11-24-method.md, "Method"). A message the scan cannot read (spaces,
 * escapes) is parsed in full.
 */
final class UpstreamEventTally implements FeedReading {
  private static final byte[] EVENT_ID = ByteScan.key("eventId", true);
  private static final byte[] TYPE = ByteScan.key("type", true);
  private static final byte[] COUNT = ByteScan.key("count", false);
  private static final byte[] ALERT_CODE = ByteScan.key("alertCode", true);

  private final Set<String> eventIds = new HashSet<>();
  private final Map<String, Long> byType = new HashMap<>();
  private long messages;
  private long accounted;
  private long probeAlerts;
  private LatencySamples endToEnd = new LatencySamples();

  @Override
  public void read(Buffer payload, long arrivalMicros) {
    byte[] b = payload.getBytes();
    // The event header (eventId, type, region, nodeId, emittedAt, count) comes first, so the first "count" is its own.
    String eventId = ByteScan.string(b, EVENT_ID);
    String type = ByteScan.string(b, TYPE);
    long count = ByteScan.integer(b, COUNT);
    if (eventId == null || type == null || count < 0) {
      JsonObject e = payload.toJsonObject();
      eventId = e.getString("eventId");
      type = e.getString("type");
      // The node's retained online/offline status is not an event (wire format rev 2): no id, no count.
      if (eventId == null || type == null || e.getLong("count") == null) return;
      count = e.getLong("count");
    }
    messages++;
    if (!eventIds.add(eventId)) return; // a redelivery: the DSP drops it
    accounted += count;
    byType.merge(type, 1L, Long::sum);
    if (!"alert".equals(type)) return;
    String code = ByteScan.string(b, ALERT_CODE);
    if (code != null && LatencyProbe.CODES.contains(code)) probeAlerts++;
    long raised = MicroClock.raisedAtMicros(b);
    if (raised != Long.MIN_VALUE) endToEnd.add(arrivalMicros - raised);
  }

  @Override
  public FeedCounts counts() {
    return new FeedCounts(messages, eventIds.size(), accounted, Map.copyOf(byType), probeAlerts);
  }

  @Override
  public LatencySamples takeLatencies() {
    LatencySamples taken = endToEnd;
    endToEnd = new LatencySamples();
    return taken;
  }
}
