package org.csp.edge.ops;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.csp.edge.cluster.HubCounts;

/**
 * The hub counts one metrics scrape shows: counted once for all the gauges that read them, not once per gauge. A count
 * passes over every hub this member owns and locks each code's stripe of open shares while it visits it, holding up
 * the partition threads that record shares; three gauges made that three passes a scrape.
 */
final class ScrapedCounts implements Supplier<HubCounts> {
  /** The gauges of one scrape are read within this of each other; a read after it counts afresh. */
  static final Duration ONE_SCRAPE = Duration.ofSeconds(1);

  private final Supplier<HubCounts> count;
  private final LongSupplier nanoClock;
  private HubCounts last;
  private long countedAt;

  ScrapedCounts(Supplier<HubCounts> count, LongSupplier nanoClock) {
    this.count = count;
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized HubCounts get() {
    long now = nanoClock.getAsLong();
    if (last == null || now - countedAt >= ONE_SCRAPE.toNanos()) {
      last = count.get();
      countedAt = now;
    }
    return last;
  }
}
