package org.csp.edge.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events accepted for upstream and not yet acknowledged by the broker. It never refuses an event: when its depth
 * passes the capacity, in events or in bytes, it reports congestion, and the intakes hold southbound
 * acknowledgements ({@link #whenOpen}) until the publisher has drained it down to the resume mark (in both).
 * Producers run on any thread; the publisher is the only consumer, except at stop, when {@link #drainAll} takes
 * whatever is left, from any thread, while the publisher may still be running. Waiting events leave in the
 * {@link FairShare} order: forward-mode codes and the node's own events first, then the recipients by weight.
 */
public final class Outbox {
  private final FairShare pending;
  /** Events to send again (their connection was lost before the PUBACK): they go before the pending ones. */
  private final ConcurrentLinkedDeque<FairShare.Waiting> resend = new ConcurrentLinkedDeque<>();
  /**
   * Taken by the publisher, PUBACK not seen yet: still the outbox's, so that a stop that cannot wait for the broker
   * spills them too. By identity: the same event object is handed back to {@link #delivered} or {@link #requeue}.
   * Its lock also makes taking an event and noting it here one step, which {@link #drainAll} cannot split.
   */
  private final Map<UpstreamEvent, FairShare.Waiting> taken = Collections.synchronizedMap(new IdentityHashMap<>());
  /** Pending plus in flight: an event leaves only when the broker's PUBACK arrives. */
  private final AtomicInteger depth = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final int capacity;
  private final int resumeAt;
  private final long capacityBytes;
  private final long resumeAtBytes;
  private final List<Runnable> waiting = new ArrayList<>();
  private volatile boolean congested;
  /** Set by {@link #drainAll}: nothing more is handed to the publisher. */
  private volatile boolean closed;
  private volatile Runnable onOffer = () -> {};

  /** Bounded in events only; events leave in the order raised. */
  public Outbox(int capacity, int resumeAt) {
    this(capacity, resumeAt, Long.MAX_VALUE);
  }

  /** Events leave in the order raised. */
  public Outbox(int capacity, int resumeAt, long capacityBytes) {
    this(capacity, resumeAt, capacityBytes, FairShare.inOrderRaised());
  }

  /** The byte mark to resume at is the event mark's share of the capacity, applied to {@code capacityBytes}. */
  public Outbox(int capacity, int resumeAt, long capacityBytes, FairShare order) {
    this.pending = order;
    this.capacity = capacity;
    this.resumeAt = resumeAt;
    this.capacityBytes = capacityBytes;
    this.resumeAtBytes = capacityBytes == Long.MAX_VALUE ? Long.MAX_VALUE
        : (long) (capacityBytes * ((double) resumeAt / capacity));
  }

  public void offer(UpstreamEvent event) {
    pending.add(event);
    long b = bytes.addAndGet(event.payload().length());
    if ((depth.incrementAndGet() >= capacity || b >= capacityBytes) && !congested) congest();
    onOffer.run();
  }

  /**
   * The transitions are decided on fresh reads under the lock. Setting the flag and then reading the depth again
   * closes the race with a publisher that drained to the resume mark while it still read the flag unset: one of
   * the two always sees the other (both are volatile), so the outbox is never left closed while empty.
   */
  private void congest() {
    List<Runnable> released;
    synchronized (this) {
      if (congested || !full()) return;
      congested = true;
      if (!drained()) return;
      released = reopen();
    }
    released.forEach(Runnable::run);
  }

  private boolean full() {
    return depth.get() >= capacity || bytes.get() >= capacityBytes;
  }

  private boolean drained() {
    return depth.get() <= resumeAt && bytes.get() <= resumeAtBytes;
  }

  /** Holds the lock. */
  private List<Runnable> reopen() {
    congested = false;
    List<Runnable> released = new ArrayList<>(waiting);
    waiting.clear();
    notifyAll(); // a spill being replayed waits in awaitOpen
    return released;
  }

  /** The next event to publish, or null. It still counts in the depth until {@link #delivered}. */
  public UpstreamEvent poll() {
    synchronized (taken) {
      if (closed) return null;
      FairShare.Waiting w = resend.poll();
      if (w == null) w = pending.poll();
      if (w == null) return null;
      taken.put(w.event(), w);
      return w.event();
    }
  }

  /** In-flight events that must be sent again (connection lost before their PUBACK): they go first, in order. */
  public void requeue(List<UpstreamEvent> events) {
    synchronized (taken) { // out of taken and into resend in one step: drainAll finds it in one or the other
      for (int i = events.size() - 1; i >= 0; i--) {
        FairShare.Waiting w = taken.remove(events.get(i));
        if (w != null) resend.addFirst(w); // else drainAll has it already
      }
    }
  }

  /**
   * The broker acknowledged {@code event}: it is gone for good (unless a stop spilled it first: then it stays
   * spilled), and counted as sent for its queue.
   */
  public void delivered(UpstreamEvent event) {
    FairShare.Waiting w = taken.remove(event);
    if (w == null) return;
    w.lane().sent();
    left(event);
  }

  /** The broker refused {@code event} and it is in the dead letters: gone from the outbox, not sent. */
  public void deadLettered(UpstreamEvent event) {
    if (taken.remove(event) != null) left(event);
  }

  private void left(UpstreamEvent event) {
    long b = bytes.addAndGet(-event.payload().length());
    int now = depth.decrementAndGet();
    if (!congested || now > resumeAt || b > resumeAtBytes) return;
    List<Runnable> released;
    synchronized (this) {
      // read again: this thread may have been paused since its decrement while the outbox filled up again
      if (!congested || !drained()) return;
      released = reopen();
    }
    released.forEach(Runnable::run);
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

  /** Blocks a thread of its own (never an event loop) until the outbox is not congested, at most {@code patience}. */
  public void awaitOpen(java.time.Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (this) {
      for (long left = patience.toNanos(); congested && left > 0; left = deadline - System.nanoTime()) {
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * Takes every event not acknowledged yet out, in flight ones included, for the spill file at stop; afterwards the
   * publisher is handed nothing more. Safe while the publisher runs: an event is either taken here or acknowledged
   * there, and one acknowledged after it was taken here stays in the spill (a repeat with the same event id).
   */
  public List<UpstreamEvent> drainAll() {
    List<FairShare.Waiting> out = new ArrayList<>();
    synchronized (taken) {
      closed = true;
      out.addAll(taken.values());
      taken.clear();
    }
    out.sort(Comparator.comparingLong(FairShare.Waiting::raised)); // in flight: the oldest first
    FairShare.Waiting w;
    while ((w = resend.poll()) != null) out.add(w);
    out.addAll(pending.drain()); // in the order raised
    List<UpstreamEvent> events = new ArrayList<>(out.size());
    for (FairShare.Waiting left : out) {
      left(left.event());
      events.add(left.event());
    }
    return events;
  }

  /** The order events leave in, and each queue's counts. */
  public FairShare order() {
    return pending;
  }

  /** The publisher is told when there is something to send. */
  public void onOffer(Runnable wake) {
    this.onOffer = wake;
  }

  public int depth() {
    return depth.get();
  }

  /** Payload bytes of the events counted in {@link #depth}. */
  public long bytes() {
    return bytes.get();
  }

  public int capacity() {
    return capacity;
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  public boolean congested() {
    return congested;
  }
}
