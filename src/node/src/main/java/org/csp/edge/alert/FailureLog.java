package org.csp.edge.alert;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs failures nobody planned for (a defect met by a hostile input) without letting a sender who repeats the
 * input flood the log: one line with the stack trace, then at most one line per interval saying how many were left
 * out. Each failure is also counted as a rejection, so the counts stay exact where the log is thinned.
 */
public final class FailureLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong leftOut = new AtomicLong();

  public FailureLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  public void failed(String what, Throwable e) {
    long now = System.nanoTime();
    long next = nextAt.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + intervalNanos)) {
      log.error("{} ({} more left out of the log since the last line)", what, leftOut.getAndSet(0), e);
    } else {
      leftOut.incrementAndGet();
    }
  }
}
