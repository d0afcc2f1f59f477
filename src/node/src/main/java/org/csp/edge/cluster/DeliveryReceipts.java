package org.csp.edge.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.upstream.HubReceipts;

/**
 * The broker's acknowledgements of hub events, gathered and handed back to the hubs in batches (every
 * {@code node.receiptInterval}): one operation per partition holding the hubs, instead of one per event. Until a batch is applied the events stay waiting in their
 * hubs, so a member that dies in between only causes a repeat (same event id) from the next owner.
 */
public final class DeliveryReceipts implements HubReceipts {
  private final HubStateStore hubs;
  private Map<String, Set<String>> gathered = new HashMap<>();

  public DeliveryReceipts(HubStateStore hubs) {
    this.hubs = hubs;
  }

  /** From the publisher, on any thread. */
  @Override
  public synchronized void delivered(String hubId, String eventId) {
    gathered.computeIfAbsent(hubId, h -> new HashSet<>(2)).add(eventId);
  }

  public synchronized int size() {
    return gathered.size();
  }

  Future<Void> flush(AlertPolicy policy, Context context) {
    Map<String, Set<String>> batch;
    synchronized (this) {
      if (gathered.isEmpty()) return Future.succeededFuture();
      batch = gathered;
      gathered = new HashMap<>();
    }
    return hubs.delivered(batch, policy, context)
        .<Void>mapEmpty()
        .onFailure(e -> {
          synchronized (this) {
            batch.forEach((hub, ids) -> gathered.computeIfAbsent(hub, h -> new HashSet<>(2)).addAll(ids));
          }
        });
  }
}
