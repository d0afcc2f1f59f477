package org.csp.edge.ingest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.FailureLog;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.alert.Rejection;
import org.csp.edge.cluster.AlertPipeline;
import org.csp.edge.upstream.Outbox;
import org.slf4j.LoggerFactory;

/**
 * What every intake does with a parsed message, whatever the protocol: count it, decide the good alerts, and
 * wait for the outbox to have room before the sender is told that its alerts are taken.
 */
final class IntakeAccounting {
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final AlertPipeline pipeline;
  private final Outbox outbox;
  private final NodeStats stats;
  private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(IntakeAccounting.class), FAILURE_LOG_INTERVAL);

  /** Alerts of every intake handed to the pipeline and not yet decided. */
  private final AtomicLong deciding = new AtomicLong();
  private final long maxUndecided;

  IntakeAccounting(AlertPipeline pipeline, Outbox outbox, NodeStats stats, long maxUndecided) {
    this.pipeline = pipeline;
    this.outbox = outbox;
    this.stats = stats;
    this.maxUndecided = maxUndecided;
  }

  /**
   * Completes with the number of alerts the node could not record (to be sent again), once it may answer: decided,
   * counted, and what the answer promises written to the journal when it is on. Never throws, and fails only when
   * the journal could not write it (the whole message is then not acknowledged: no PUBACK, HTTP 503). A decision
   * that fails (a defect, not the hub state being unavailable, which the pipeline reports in the result) refuses the
   * message's alerts as {@code decision_failed}, so that they are counted and the sender is answered instead of
   * resending for ever.
   */
  Future<Integer> take(ParsedMessage message, Context context) {
    return take(message, context, true);
  }

  /**
   * As above; {@code holdWhileCongested} false answers as soon as the message is recorded, whether or not the outbox
   * has room: an HTTP client is refused its next body (503) instead, as it cannot be held back while its request
   * waits, and an answer held until the upstream link is back would time out and be sent again.
   */
  Future<Integer> take(ParsedMessage message, Context context, boolean holdWhileCongested) {
    stats.received.add(message.count());
    for (Rejection r : message.rejections()) stats.rejected(r.reason(), r.alerts());
    Future<Integer> decided;
    int deciding = message.alerts().size();
    this.deciding.addAndGet(deciding);
    try {
      decided = pipeline.accept(message.alerts(), context);
    } catch (RuntimeException e) {
      decided = Future.failedFuture(e);
    }
    return decided
        .andThen(ar -> this.deciding.addAndGet(-deciding))
        .recover(e -> {
          failures.failed("deciding " + message.alerts().size() + " alerts failed; refused as decision_failed", e);
          for (Alert a : message.alerts()) stats.rejected(RejectReason.DECISION_FAILED, a);
          return Future.succeededFuture(0);
        })
        .compose(failed -> stats.beforeAcknowledge(context).map(failed))
        .compose(failed -> {
          if (!holdWhileCongested || !outbox.congested()) return Future.succeededFuture(failed);
          stats.acksHeld.increment();
          // Decided and counted already: if waiting for room fails, answer now rather than never.
          return outbox.whenOpen(context).map(failed).otherwise(failed);
        });
  }

  /**
   * True while back-pressure is engaged (the outbox is past its capacity in events or bytes, until the resume mark):
   * an intake refuses what it could not hold back (a QoS 0 message, a new HTTP body) rather than grow the outbox.
   */
  boolean congested() {
    return outbox.congested();
  }

  /**
   * True while more alerts wait for their decision than {@code limits.maxUndecidedAlerts}: an intake refuses what it
   * cannot hold back, as while congested, since nothing else bounds what QoS 0 clients hand over.
   */
  boolean overloaded() {
    return deciding.get() >= maxUndecided;
  }

  long undecided() {
    return deciding.get();
  }

  NodeStats stats() {
    return stats;
  }
}
