package org.csp.edge.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.csp.edge.alert.RejectReason;
import org.junit.jupiter.api.Test;

/**
 * The counts the status and the heartbeats show add up in every reading while alerts are being decided: an outside
 * check of received = outcomes + inProgress, polled under load, must never see them apart.
 */
class NodeStatsTest {
  @Test
  void aReadingTakenWhileAlertsAreDecidedAddsUpAndNeverShowsLessThanNothingInProgress() throws Exception {
    NodeStats stats = new NodeStats();
    AtomicBoolean running = new AtomicBoolean(true);
    // An alert is received, then decided, as on the intakes.
    Thread intake = new Thread(() -> {
      for (long i = 0; running.get(); i++) {
        stats.received.increment();
        switch ((int) (i % 4)) {
          case 0 -> stats.forwarded.increment();
          case 1 -> stats.duplicates.increment();
          case 2 -> stats.rejected(RejectReason.BAD_ALERT_CODE);
          default -> stats.consolidated.increment();
        }
      }
    });
    intake.start();
    try {
      for (int k = 0; k < 200_000; k++) {
        NodeStats.Counts n = stats.counts();
        long inProgress = n.inProgress();
        assertTrue(inProgress >= 0, "reading " + k + ": " + inProgress + " in progress, " + n);
        assertEquals(n.received(), n.forwarded() + n.consolidated() + n.grouped() + n.silenced() + n.inhibited()
            + n.duplicates() + n.rejected() + inProgress);
        assertEquals(n.rejected(), n.rejectedByReason().getLong("bad_alert_code", 0L), "rejected is the sum of its reasons");
      }
    } finally {
      running.set(false);
      intake.join();
    }
  }
}
