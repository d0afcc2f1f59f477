package org.csp.edge.accounting;

import org.csp.edge.alert.Alert;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.decision.Verdict;

/**
 * Told of every alert's outcome as {@link NodeStats} counts it, on the intake's thread: what the rollups
 * (org.csp.edge.rollup) count by hour, code and device model. Must be cheap and never throw.
 */
public interface OutcomeListener {
  OutcomeListener NONE = new OutcomeListener() {
    @Override
    public void decided(Alert alert, Verdict verdict) {}

    @Override
    public void rejected(Alert alert, RejectReason reason) {}
  };

  /** The hub's state decided {@code alert}. */
  void decided(Alert alert, Verdict verdict);

  /** One input was refused; {@code alert} is null when it could not be read as an alert. */
  void rejected(Alert alert, RejectReason reason);

  /** A message refused whole, unread, standing for {@code alerts} alerts: as many unread refusals at once. */
  default void rejectedUnread(RejectReason reason, int alerts) {
    for (int i = 0; i < alerts; i++) rejected(null, reason);
  }
}
