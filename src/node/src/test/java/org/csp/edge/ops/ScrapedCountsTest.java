package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.cluster.HubCounts;
import org.junit.jupiter.api.Test;

class ScrapedCountsTest {
  @Test
  void theGaugesOfOneScrapeShareOneCountAndTheNextScrapeCountsAfresh() {
    AtomicLong now = new AtomicLong(1_000);
    AtomicInteger passes = new AtomicInteger();
    ScrapedCounts counts = new ScrapedCounts(() -> new HubCounts(passes.incrementAndGet(), 0, 0, 0, 0, 0), now::get);

    // A scrape reads the three gauges one after the other.
    assertEquals(1, counts.get().storming());
    now.addAndGet(ScrapedCounts.ONE_SCRAPE.toNanos() / 2);
    assertEquals(1, counts.get().storming());
    assertEquals(1, counts.get().storming());
    assertEquals(1, passes.get(), "one pass over the hubs for the whole scrape");

    now.addAndGet(ScrapedCounts.ONE_SCRAPE.toNanos()); // the next scrape
    assertEquals(2, counts.get().storming(), "counted afresh: a storm that began since shows");
    assertEquals(2, passes.get());
  }
}
