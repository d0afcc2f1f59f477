package org.csp.edge.bench;

/**
 * One connection's share of a stream during a step: how many alerts are due by now at its rate, and how many went.
 * Open loop: what is due does not depend on how fast the node answers, so a node that falls behind shows as alerts
 * owed, not as a quietly lower rate.
 */
final class PacedStream {
  private final StreamShare share;
  private final double perSecond;
  private final long startNanos;
  private long sentAlerts;
  private long skippedAlerts;

  PacedStream(StreamShare share, double perSecond, long startNanos) {
    this.share = share;
    this.perSecond = perSecond;
    this.startNanos = startNanos;
  }

  MessageStream stream() {
    return share.stream();
  }

  boolean catchUp() {
    return share.catchUp();
  }

  /** Alerts due by {@code nowNanos}. */
  double due(long nowNanos) {
    return perSecond * (nowNanos - startNanos) / 1e9;
  }

  /** True when a message should go now; a stream that does not catch up first forgets what it missed. */
  boolean owes(long nowNanos) {
    double due = due(nowNanos);
    if (!share.catchUp() && due - sentAlerts > 2) {
      long skip = (long) Math.floor(due) - 1 - sentAlerts;
      sentAlerts += skip;
      skippedAlerts += skip;
    }
    return sentAlerts < due;
  }

  void sent(int alerts) {
    sentAlerts += alerts;
  }

  /** Alerts actually sent: skipped ones excluded. */
  long sentAlerts() {
    return sentAlerts - skippedAlerts;
  }
}
