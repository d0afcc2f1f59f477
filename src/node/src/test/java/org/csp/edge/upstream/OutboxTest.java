package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbox bounded in bytes as well as events, and emptied at stop while the publisher still holds events. */
class OutboxTest {
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

  private static UpstreamEvent sized(int n, int bytes) {
    return new UpstreamEvent("e-" + n, "alert", "dsp/north/alert", 1, OutboxSpillTest.bytes(bytes));
  }
}
