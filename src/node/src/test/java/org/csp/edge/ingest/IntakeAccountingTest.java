package org.csp.edge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.cluster.AlertPipeline;
import org.csp.edge.upstream.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the intakes answer waits for what the journal owes (design.md, "A node that crashes: the journal"). */
class IntakeAccountingTest {
  private final Vertx vertx = Vertx.vertx();
  private final NodeStats stats = new NodeStats();
  // A message refused whole decides no alert: no hub state is needed to take it.
  private final IntakeAccounting accounting = new IntakeAccounting(new AlertPipeline(null, stats, null, null, null),
      new Outbox(100, 80), stats, 1000);
  private final ParsedMessage refused = ParsedMessage.refusedWhole(RejectReason.INVALID, "not an alert");

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void theAnswerWaitsUntilTheJournalWroteWhatItPromises() throws Exception {
    Promise<Void> written = Promise.promise();
    stats.beforeAcknowledge(context -> written.future());
    Context context = vertx.getOrCreateContext();
    Future<Integer> taken = accounting.take(refused, context);
    assertFalse(taken.isComplete(), "not answered before the journal's write");
    written.complete();
    assertEquals(0, taken.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(1, stats.rejectedCount(RejectReason.INVALID));
  }

  @Test
  void aJournalThatCouldNotWriteLeavesTheMessageUnacknowledged() {
    stats.beforeAcknowledge(context -> Future.failedFuture(new IOException("No space left on device")));
    Future<Integer> taken = accounting.take(refused, vertx.getOrCreateContext());
    assertTrue(taken.failed(), "the intake withholds its PUBACK (HTTP: 503) rather than acknowledge unwritten");
  }
}
