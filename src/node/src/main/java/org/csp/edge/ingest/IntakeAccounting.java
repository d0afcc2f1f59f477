package org.csp.edge.ingest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.alert.Rejection;
import org.csp.edge.cluster.AlertPipeline;
import org.csp.edge.upstream.Outbox;

/**
 * What every intake does with a parsed message, whatever the protocol: count it, decide the good alerts, and
 * wait for the outbox to have room before the sender is told that its alerts are taken.
 */
final class IntakeAccounting {
  private final AlertPipeline pipeline;
  private final Outbox outbox;
  private final NodeStats stats;

  IntakeAccounting(AlertPipeline pipeline, Outbox outbox, NodeStats stats) {
    this.pipeline = pipeline;
    this.outbox = outbox;
    this.stats = stats;
  }

  /** Completes with the number of alerts the node could not record (to be sent again), once it may answer. */
  Future<Integer> take(ParsedMessage message, Context context) {
    int n = message.alerts().size() + message.rejections().size();
    stats.received.add(n);
    for (Rejection r : message.rejections()) stats.rejected(r.reason());
    return pipeline.accept(message.alerts(), context)
        .compose(failed -> {
          if (!outbox.congested()) return Future.succeededFuture(failed);
          stats.acksHeld.increment();
          return outbox.whenOpen(context).map(failed);
        });
  }

  NodeStats stats() {
    return stats;
  }
}
