package org.csp.edge.accounting;

import java.util.concurrent.atomic.LongAdder;

/**
 * One alert code's counts (or, shared, those of every code past {@link NodeStats#MAX_CODES_TRACKED}): what was
 * received of it, what became of it, and the hub storms it started. They make the per-code metrics; the accounting
 * equation stays on {@link NodeStats}' totals.
 */
public final class CodeCounts {
  public final LongAdder received = new LongAdder();
  public final LongAdder forwarded = new LongAdder();
  public final LongAdder consolidated = new LongAdder();
  public final LongAdder grouped = new LongAdder();
  public final LongAdder silenced = new LongAdder();
  public final LongAdder inhibited = new LongAdder();
  public final LongAdder duplicates = new LongAdder();
  public final LongAdder stormsStarted = new LongAdder();
  public final LongAdder stormsEnded = new LongAdder();
}
