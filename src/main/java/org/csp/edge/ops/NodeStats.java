package org.csp.edge.ops;

import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.alert.RejectReason;

/**
 * The node's accounting: every alert received ends in exactly one of forwarded, consolidated, grouped, duplicate
 * or rejected (wire format, "Accounting"). Lock-free counters: every intake thread adds to them.
 */
public final class NodeStats {
  public final LongAdder received = new LongAdder();
  public final LongAdder receivedMqtt = new LongAdder();
  public final LongAdder receivedHttp = new LongAdder();
  public final LongAdder forwarded = new LongAdder();
  public final LongAdder consolidated = new LongAdder();
  public final LongAdder grouped = new LongAdder();
  public final LongAdder duplicates = new LongAdder();
  public final LongAdder stormsStarted = new LongAdder();
  public final LongAdder stormsEnded = new LongAdder();
  public final LongAdder eventsQueued = new LongAdder();
  public final LongAdder eventsDelivered = new LongAdder();
  public final LongAdder eventsResent = new LongAdder();
  /** QoS 1 acknowledgements held back by a congested outbox (back-pressure), since start. */
  public final LongAdder acksHeld = new LongAdder();
  private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

  public NodeStats() {
    for (RejectReason r : RejectReason.values()) rejected.put(r, new LongAdder());
  }

  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  public long rejectedTotal() {
    long n = 0;
    for (LongAdder a : rejected.values()) n += a.sum();
    return n;
  }

  public JsonObject rejectedByReason() {
    JsonObject out = new JsonObject();
    rejected.forEach((reason, n) -> {
      long v = n.sum();
      if (v > 0) out.put(reason.wireName(), v);
    });
    return out;
  }

  /** Alerts taken in but not yet decided (in flight between intake and the hub state). */
  public long undecided() {
    return received.sum() - forwarded.sum() - consolidated.sum() - grouped.sum() - duplicates.sum() - rejectedTotal();
  }
}
