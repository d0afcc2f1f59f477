package org.csp.edge.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The publishers' 1 ms pacing clock, on a thread of its own that sleeps between ticks. A 1 ms Vert.x timer on the
 * generator's event loops made them spin: Netty's NIO loop rounds a wait to whole milliseconds and polls with
 * {@code selectNow} while the next timer is under half a millisecond away, so each loop busy-polled for half of every
 * millisecond (about 55 % of a generator loop's samples in JFR), CPU taken from the node on a 2-core machine. A
 * tick posted from here wakes a loop that blocks in {@code select} until then.
 */
final class PacingTicker implements AutoCloseable {
  static final long TICK_NANOS = 1_000_000;

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final CompletableFuture<Integer> kernelThreadId = new CompletableFuture<>();
  private volatile boolean running = true;

  PacingTicker() {
    thread = new Thread(this::run, "bench-pacing");
    thread.setDaemon(true);
    thread.start();
  }

  long threadId() {
    return thread.getId();
  }

  /** The ticker thread's kernel id (see {@link ThreadTimes#currentThreadId}). */
  int kernelThreadId() {
    return kernelThreadId.join();
  }

  /** {@code onTick} runs on this ticker's thread: it must only hand work to its own context. */
  void add(Runnable onTick) {
    listeners.add(onTick);
  }

  void remove(Runnable onTick) {
    listeners.remove(onTick);
  }

  private void run() {
    kernelThreadId.complete(ThreadTimes.currentThreadId());
    long next = System.nanoTime();
    while (running) {
      next += TICK_NANOS;
      long wait = next - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
      else next = System.nanoTime(); // late (a descheduled thread): no burst of ticks to catch up
      for (Runnable r : listeners) r.run();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
