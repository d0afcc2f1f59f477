package org.csp.edge.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import org.csp.edge.accounting.CodeCounts;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubVerdicts;
import org.csp.edge.decision.NodeClock;
import org.csp.edge.decision.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of every valid alert: one operation per hub of the batch on the hub's state, wherever its
 * owner is, sent as one invocation per remote owner ({@link HubStateStore#apply}). The returned future completes once every alert of the batch is accounted for (its decision and any
 * event it raised are kept, and backed up, in the hub's state): only then may an intake acknowledge it. The hub's
 * owner publishes the events; this side only counts the verdicts.
 */
public final class AlertPipeline {
  private static final Logger log = LoggerFactory.getLogger(AlertPipeline.class);
  /** A full owner's queue or a lost member fails many hubs at once: one line per interval, each alert still counted. */
  private static final java.time.Duration UNAVAILABLE_LOG_INTERVAL = java.time.Duration.ofSeconds(10);
  private static final org.csp.edge.alert.FailureLog unavailable = new org.csp.edge.alert.FailureLog(log, UNAVAILABLE_LOG_INTERVAL);

  private final HubStateStore hubs;
  private final NodeStats stats;
  private final NodeClock clock;
  private final Supplier<AlertPolicy> policy;
  private final Quorum quorum;
  /** Told of every batch decided, with the time it was decided at (the record that policy previews replay). */
  private ObjLongConsumer<List<Alert>> decidedTo = (batch, at) -> {};
  /** False once this member's journal has stopped (a failed write): nothing decided could be acknowledged. */
  private BooleanSupplier recording = () -> true;
  private final java.util.concurrent.atomic.AtomicBoolean refusedUnrecorded = new java.util.concurrent.atomic.AtomicBoolean();

  public AlertPipeline(HubStateStore hubs, NodeStats stats, NodeClock clock, Supplier<AlertPolicy> policy, Quorum quorum) {
    this.hubs = hubs;
    this.stats = stats;
    this.clock = clock;
    this.policy = policy;
    this.quorum = quorum;
  }

  /**
   * Whether what is decided can be recorded (the journal writes); set before the intakes open. While it cannot, alerts
   * are refused for resend before deciding, as without a quorum: decided and then not acknowledged, each resend would
   * be decided again (a duplicate) and its events published, for an alert the sender was never told was taken.
   */
  public void recordingWhile(BooleanSupplier recording) {
    this.recording = recording;
  }

  /** Where the alerts decided go besides the counts; set before the intakes open. */
  public void decidedTo(ObjLongConsumer<List<Alert>> decided) {
    this.decidedTo = decided;
  }

  /**
   * Decides a batch. Alerts whose hub state could not be reached are counted as rejected (unavailable) and their
   * count is the future's result, so an intake can withhold its acknowledgement and let the sender retry. So are
   * alerts refused because this member's side of the cluster has no quorum ({@link Quorum}), before deciding: a
   * member cut off from the majority acknowledges nothing it has not decided, and the sender's retry reaches a member
   * that can decide.
   */
  public Future<Integer> accept(List<Alert> alerts, Context context) {
    if (alerts.isEmpty()) return Future.succeededFuture(0);
    long now = clock.millis();
    AlertPolicy p = policy.get();
    Map<String, List<Alert>> byHub = new LinkedHashMap<>();
    for (Alert a : alerts) {
      byHub.computeIfAbsent(a.hubId(), h -> new ArrayList<>(1)).add(a);
      stats.receivedCode(a.alertCode());
    }
    // Refused here, not by the hub's owner: an owner across the cut would leave the invocation waiting for it.
    if (quorum.lost()) return Future.succeededFuture(refuseForQuorum(alerts));
    if (!recording.getAsBoolean()) return Future.succeededFuture(refuseUnrecorded(alerts));
    Map<String, Future<HubVerdicts>> decided = hubs.apply(byHub, now, p, context);
    List<Future<Integer>> done = new ArrayList<>(byHub.size());
    byHub.forEach((hub, batch) -> done.add(
        decided.get(hub)
            .map(verdicts -> {
              // Decided, even if the quorum went meanwhile: the owner's state holds it, and a cut that heals before
              // Hazelcast drops anyone keeps that state; refusing it now would count the alert twice (decided here,
              // and rejected as unavailable) when the sender's resend comes.
              count(batch, verdicts);
              decidedTo.accept(batch, now);
              if (quorum.decided()) log.info("quorum back: deciding again");
              return 0;
            })
            .recover(e -> {
              if (Quorum.refusal(e)) return Future.succeededFuture(refuseForQuorum(batch));
              unavailable.failed("hub state for " + hub + " unavailable; " + batch.size() + " alerts refused for resend", e);
              for (Alert a : batch) stats.rejected(RejectReason.UNAVAILABLE, a);
              return Future.succeededFuture(batch.size());
            })));
    return Future.all(done).map(all -> {
      int failed = 0;
      for (int i = 0; i < all.size(); i++) failed += all.<Integer>resultAt(i);
      return failed;
    });
  }

  /** Alerts refused for resend because the journal stopped: counted as unavailable, logged once a run. */
  private int refuseUnrecorded(List<Alert> batch) {
    if (refusedUnrecorded.compareAndSet(false, true)) {
      log.error("journal stopped (a write failed, logged above): alerts are refused for resend, undecided, until the"
          + " node is restarted");
    }
    for (Alert a : batch) stats.rejected(RejectReason.UNAVAILABLE, a);
    return batch.size();
  }

  /** Alerts refused for resend because this member's side has no quorum: counted as unavailable, logged once a run. */
  private int refuseForQuorum(List<Alert> batch) {
    if (quorum.refused(batch.size())) {
      log.warn("no quorum: this member's side of the cluster has fewer than {} members heard from; alerts are refused"
          + " for resend until it has ({} members in its list)", quorum.required(), hubs.members());
    }
    for (Alert a : batch) stats.rejected(RejectReason.UNAVAILABLE, a);
    return batch.size();
  }

  /** The totals of the accounting equation, and each alert's code's (verdicts come in the batch's order). */
  private void count(List<Alert> batch, HubVerdicts verdicts) {
    for (int i = 0; i < verdicts.size(); i++) {
      Alert alert = batch.get(i);
      CodeCounts code = stats.ofCode(alert.alertCode());
      Verdict verdict = verdicts.verdict(i);
      stats.decided(alert, verdict);
      switch (verdict) {
        case DUPLICATE -> {
          stats.duplicates.increment();
          code.duplicates.increment();
        }
        case CONSOLIDATED -> {
          stats.consolidated.increment();
          code.consolidated.increment();
        }
        case FORWARD -> {
          stats.forwarded.increment();
          code.forwarded.increment();
        }
        case GROUPED -> {
          stats.grouped.increment();
          code.grouped.increment();
        }
        case SILENCED -> {
          stats.silenced.increment();
          code.silenced.increment();
        }
        case INHIBITED -> {
          stats.inhibited.increment();
          code.inhibited.increment();
        }
      }
    }
  }
}
