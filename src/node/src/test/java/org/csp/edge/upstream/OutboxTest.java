package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The outbox bounded in bytes as well as events, and emptied at stop while the publisher still holds events. */
class OutboxTest {
  /** Far longer than a publisher spinning on the outbox needs to drain three events. */
  private static final Duration STUCK = Duration.ofSeconds(10);

  @Test
  void largeEventsPushBackByBytesLongBeforeTheEventCapacityUntilTheResumeShareOfTheBytes() {
    Outbox outbox = new Outbox(1000, 800, 10_000);
    for (int i = 0; i < 4; i++) outbox.offer(sized(i, 2_000));
    assertFalse(outbox.congested(), "8,000 of 10,000 bytes");
    outbox.offer(sized(4, 2_000));
    assertTrue(outbox.congested(), "10,000 bytes: back-pressure with 5 events of a capacity of 1000");
    assertEquals(10_000, outbox.bytes());
    UpstreamEvent taken = outbox.poll();
    assertTrue(outbox.congested(), "taken by the publisher is not delivered: still counted");
    outbox.delivered(taken);
    assertFalse(outbox.congested(), "8,000 bytes: the resume mark's share (800 of 1000) of the bytes");
    assertEquals(4, outbox.depth());
    assertEquals(8_000, outbox.bytes());
  }

  @Test
  void drainAllTakesPendingResentAndInFlightEventsOnceWhileThePublisherGoesOn() {
    Outbox outbox = new Outbox(100, 80);
    for (int i = 0; i < 5; i++) outbox.offer(sized(i, 10));
    UpstreamEvent inFlight = outbox.poll();
    UpstreamEvent lost = outbox.poll();
    outbox.requeue(List.of(lost)); // its connection went: to be sent again first
    List<UpstreamEvent> left = outbox.drainAll();
    assertEquals(5, left.size());
    assertTrue(left.contains(inFlight) && left.contains(lost));
    assertEquals(0, outbox.depth());
    assertEquals(0, outbox.bytes());
    assertNull(outbox.poll(), "the publisher is handed nothing more");
    outbox.delivered(inFlight); // its PUBACK comes after all: it stays spilled (a repeat), counted once
    outbox.requeue(List.of(inFlight));
    assertEquals(0, outbox.depth());
    assertEquals(List.of(), outbox.drainAll());
  }

  /**
   * A producer that offers only while the outbox is open, racing a publisher that delivers: the depth never passes
   * the capacity. A tiny capacity makes the marks crossed on nearly every event, so a stale read of the depth by
   * the publisher (reopening the outbox just after the producer filled it) shows within these rounds.
   */
  @Test
  void aProducerThatWaitsForRoomNeverFindsTheOutboxOpenWhenItIsFull() throws Exception {
    int capacity = 3;
    Outbox outbox = new Outbox(capacity, 1);
    int events = 300_000;
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger delivered = new AtomicInteger();
    Thread publisher = new Thread(() -> {
      while (!done.get()) {
        UpstreamEvent e = outbox.poll();
        if (e == null) {
          Thread.onSpinWait();
          continue;
        }
        outbox.delivered(e);
        delivered.incrementAndGet();
      }
    });
    publisher.start();
    int deepest = 0;
    int offered = 0;
    try {
      for (; offered < events; offered++) {
        long closedSince = System.nanoTime();
        while (outbox.congested()) {
          outbox.awaitOpen(Duration.ofMillis(10));
          assertTrue(System.nanoTime() - closedSince < STUCK.toNanos(),
              "closed for " + STUCK + " with a depth of " + outbox.depth() + " and a publisher that drains");
        }
        outbox.offer(sized(offered, 1));
        deepest = Math.max(deepest, outbox.depth()); // only this thread adds: the depth just after adding
      }
    } finally {
      while (delivered.get() < offered && publisher.isAlive()) Thread.onSpinWait();
      done.set(true);
      publisher.join();
    }
    assertTrue(deepest <= capacity, "deepest " + deepest + " of a capacity of " + capacity);
    assertEquals(0, outbox.depth());
    assertFalse(outbox.congested());
  }

  private static UpstreamEvent sized(int n, int bytes) {
    return new UpstreamEvent("e-" + n, "alert", "dsp/north/alert", 1, OutboxSpillTest.bytes(bytes));
  }
}
