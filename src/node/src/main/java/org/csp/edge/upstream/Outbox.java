package org.csp.edge.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events accepted for upstream and not yet acknowledged by the broker. It never refuses an event: when its depth
 * passes the capacity it reports congestion, and the intakes hold southbound acknowledgements ({@link #whenOpen})
 * until the publisher has drained it down to the resume mark. Producers run on any thread; the publisher is the
 * only consumer.
 */
public final class Outbox {
  private final ConcurrentLinkedQueue<UpstreamEvent> pending = new ConcurrentLinkedQueue<>();
  /** Events to send again (their connection was lost before the PUBACK): they go before the pending ones. */
  private final ConcurrentLinkedDeque<UpstreamEvent> resend = new ConcurrentLinkedDeque<>();
  /** Pending plus in flight: an event leaves only when the broker's PUBACK arrives. */
  private final AtomicInteger depth = new AtomicInteger();
  private final int capacity;
  private final int resumeAt;
  private final List<Runnable> waiting = new ArrayList<>();
  private volatile boolean congested;
  private volatile Runnable onOffer = () -> {};

  public Outbox(int capacity, int resumeAt) {
    this.capacity = capacity;
    this.resumeAt = resumeAt;
  }

  public void offer(UpstreamEvent event) {
    pending.add(event);
    if (depth.incrementAndGet() >= capacity && !congested) {
      synchronized (this) {
        congested = depth.get() >= capacity;
      }
    }
    onOffer.run();
  }

  /** The next event to publish, or null. It still counts in the depth until {@link #delivered}. */
  public UpstreamEvent poll() {
    UpstreamEvent e = resend.poll();
    return e != null ? e : pending.poll();
  }

  /** In-flight events that must be sent again (connection lost before their PUBACK): they go first, in order. */
  public void requeue(List<UpstreamEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) resend.addFirst(events.get(i));
  }

  /** The broker acknowledged an event: it is gone for good. */
  public void delivered() {
    int now = depth.decrementAndGet();
    if (congested && now <= resumeAt) {
      List<Runnable> released;
      synchronized (this) {
        congested = false;
        released = new ArrayList<>(waiting);
        waiting.clear();
      }
      released.forEach(Runnable::run);
    }
  }

  /**
   * Completes at once when not congested, else when the publisher has drained the outbox to the resume mark;
   * either way on the caller's {@code context}, so an intake can go on touching its connection.
   */
  public Future<Void> whenOpen(Context context) {
    if (!congested) return Future.succeededFuture();
    synchronized (this) {
      if (!congested) return Future.succeededFuture();
      Promise<Void> p = Promise.promise();
      waiting.add(() -> context.runOnContext(v -> p.tryComplete()));
      return p.future();
    }
  }

  /** Takes every event out, for the spill file at shutdown. */
  public List<UpstreamEvent> drainAll() {
    List<UpstreamEvent> out = new ArrayList<>();
    UpstreamEvent e;
    while ((e = poll()) != null) {
      out.add(e);
      depth.decrementAndGet();
    }
    return out;
  }

  /** The publisher is told when there is something to send. */
  public void onOffer(Runnable wake) {
    this.onOffer = wake;
  }

  public int depth() {
    return depth.get();
  }

  public int capacity() {
    return capacity;
  }

  public boolean congested() {
    return congested;
  }
}
