package org.csp.edge.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.upstream.HubReceipts;

/**
 * The broker's acknowledgements of hub events, gathered and handed back to the hubs in batches (every
 * {@code node.receiptInterval}): one operation per partition holding the hubs, instead of one per event. Until a batch is applied the events stay waiting in their
 * hubs, so a member that dies in between only causes a repeat (same event id) from the next owner.
 *
 * <p>Bounded by {@code node.maxGatheredReceipts} events: reaching it asks for the batch to be applied at once
 * ({@link #whenFull}) instead of at the next interval. Past it (the hubs cannot take receipts: the cluster is
 * unavailable and every flush fails) a receipt is dropped and counted: its event stays waiting in its hub, which
 * sends it again later with the same event id, for the DSP to drop as a repeat. Wasteful, never a loss; keeping
 * every receipt would instead grow without limit while the cluster is down.
 */
public final class DeliveryReceipts implements HubReceipts {
  private final HubStateStore hubs;
  private final int max;
  private final LongAdder dropped = new LongAdder();
  private Map<String, Set<String>> gathered = new HashMap<>();
  private int events;
  private boolean fullAsked;
  private volatile Runnable whenFull = () -> {};

  public DeliveryReceipts(HubStateStore hubs, int max) {
    this.hubs = hubs;
    this.max = max;
  }

  /** From the publisher, on any thread. */
  @Override
  public void delivered(String hubId, String eventId) {
    boolean askFlush;
    synchronized (this) {
      if (events >= max) {
        dropped.increment();
        return;
      }
      if (gathered.computeIfAbsent(hubId, h -> new HashSet<>(2)).add(eventId)) events++;
      askFlush = events >= max && !fullAsked;
      if (askFlush) fullAsked = true;
    }
    if (askFlush) whenFull.run();
  }

  /** Told (on the publisher's thread) when the bound is reached: apply the receipts now. */
  void whenFull(Runnable flushNow) {
    this.whenFull = flushNow;
  }

  /** Hubs with receipts gathered. */
  public synchronized int size() {
    return gathered.size();
  }

  /** Receipts gathered and not applied yet. */
  public synchronized int events() {
    return events;
  }

  /** Receipts dropped at the bound since start. */
  public long dropped() {
    return dropped.sum();
  }

  Future<Void> flush(AlertPolicy policy, Context context) {
    Map<String, Set<String>> batch;
    synchronized (this) {
      if (gathered.isEmpty()) return Future.succeededFuture();
      batch = gathered;
      gathered = new HashMap<>();
      events = 0;
      fullAsked = false;
    }
    Future<?> handedBack;
    try {
      handedBack = hubs.delivered(batch, policy, context);
    } catch (RuntimeException e) { // a member shutting down throws before any future: the batch is kept all the same
      handedBack = Future.failedFuture(e);
    }
    return handedBack
        .<Void>mapEmpty()
        .onFailure(e -> {
          synchronized (this) {
            // Kept for the next flush, within the bound: what does not fit is dropped (see the class comment).
            batch.forEach((hub, ids) -> {
              for (String id : ids) {
                if (events >= max) {
                  dropped.increment();
                } else if (gathered.computeIfAbsent(hub, h -> new HashSet<>(2)).add(id)) {
                  events++;
                }
              }
            });
          }
        });
  }
}
