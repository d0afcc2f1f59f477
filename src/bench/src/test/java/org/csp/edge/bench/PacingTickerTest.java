package org.csp.edge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The publishers' pacing clock ticks its listeners until they leave, and its thread ends at close. */
class PacingTickerTest {

  @Test
  void ticksReachEveryListenerUntilItIsRemoved() throws Exception {
    try (PacingTicker ticker = new PacingTicker()) {
      CountDownLatch tenTicks = new CountDownLatch(10);
      AtomicInteger heard = new AtomicInteger();
      Runnable counting = () -> {
        heard.incrementAndGet();
        tenTicks.countDown();
      };
      ticker.add(counting);
      assertTrue(tenTicks.await(5, TimeUnit.SECONDS), "ten ticks arrived");
      ticker.remove(counting);
      CountDownLatch otherHears = new CountDownLatch(5);
      ticker.add(otherHears::countDown);
      assertTrue(otherHears.await(5, TimeUnit.SECONDS), "a listener added later hears ticks");
      // A tick under way when it was removed may still reach it, not five.
      int atRemoval = heard.get();
      CountDownLatch more = new CountDownLatch(5);
      ticker.add(more::countDown);
      assertTrue(more.await(5, TimeUnit.SECONDS));
      assertEquals(atRemoval, heard.get(), "a removed listener hears no more ticks");
    }
  }

  @Test
  void closeEndsItsThread() {
    PacingTicker ticker = new PacingTicker();
    long id = ticker.threadId();
    ticker.close();
    assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getId() == id), "the pacing thread is gone");
  }
}
