package org.csp.edge.consolidation;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.ops.NodeStats;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.Outbox;
import org.csp.edge.upstream.UpstreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision for every valid alert: duplicate, consolidated into its hub's storm, gathered into a regional group,
 * or forwarded. The returned future completes once every alert of the batch is accounted for (counted in the hub
 * state or queued in the outbox): only then may an intake acknowledge it.
 */
public final class AlertPipeline {
  private static final Logger log = LoggerFactory.getLogger(AlertPipeline.class);

  private final HubStateStore hubs;
  private final RegionalBursts regional;
  private final StormRegistry storms;
  private final EventFactory events;
  private final Outbox outbox;
  private final NodeStats stats;
  private final NodeClock clock;
  private final Supplier<AlertPolicy> policy;

  public AlertPipeline(HubStateStore hubs, RegionalBursts regional, StormRegistry storms, EventFactory events,
      Outbox outbox, NodeStats stats, NodeClock clock, Supplier<AlertPolicy> policy) {
    this.hubs = hubs;
    this.regional = regional;
    this.storms = storms;
    this.events = events;
    this.outbox = outbox;
    this.stats = stats;
    this.clock = clock;
    this.policy = policy;
  }

  /**
   * Decides a batch. One operation per hub in the batch (a hub's alerts travel together). Alerts whose hub state
   * could not be reached are counted as rejected (unavailable) and their count is the future's result, so an
   * intake can withhold its acknowledgement and let the sender retry.
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
    List<Future<Integer>> done = new ArrayList<>(byHub.size());
    byHub.forEach((hub, batch) -> done.add(
        hubs.apply(hub, batch, now, p, context)
            .map(verdicts -> {
              route(hub, batch, verdicts, now, p);
              return 0;
            })
            .recover(e -> {
              log.error("hub state for {} unavailable; {} alerts refused for resend: {}", hub, batch.size(), e.toString());
              for (int i = 0; i < batch.size(); i++) stats.rejected(RejectReason.UNAVAILABLE);
              return Future.succeededFuture(batch.size());
            })));
    return Future.all(done).map(all -> {
      int failed = 0;
      for (int i = 0; i < all.size(); i++) failed += all.<Integer>resultAt(i);
      return failed;
    });
  }

  private void route(String hub, List<Alert> batch, HubVerdicts verdicts, long now, AlertPolicy p) {
    storms.update(hub, verdicts);
    for (StormEvent e : verdicts.events()) emitStorm(e);
    List<RegionalEvent> regionalEvents = new ArrayList<>(0);
    for (int i = 0; i < batch.size(); i++) {
      Alert alert = batch.get(i);
      switch (verdicts.verdict(i)) {
        case DUPLICATE -> stats.duplicates.increment();
        case CONSOLIDATED -> stats.consolidated.increment();
        case FORWARD -> {
          CodePolicy codePolicy = p.forCode(alert.alertCode());
          if (codePolicy.mode() == CodeMode.CONSOLIDATE
              && regional.offer(alert.alertCode(), hub, now, codePolicy, regionalEvents)) {
            stats.grouped.increment();
          } else {
            outbox.offer(events.alert(alert, verdicts.sinceLast()[i], now));
            stats.queued("alert");
            stats.forwarded.increment();
          }
        }
      }
    }
    regionalEvents.forEach(this::emitRegional);
  }

  void emitStorm(StormEvent e) {
    if (e instanceof StormEvent.Started) stats.stormsStarted.increment();
    if (e instanceof StormEvent.Ended) stats.stormsEnded.increment();
    UpstreamEvent event = events.storm(e);
    outbox.offer(event);
    stats.queued(event.type());
  }

  void emitRegional(RegionalEvent e) {
    UpstreamEvent event = events.regional(e);
    outbox.offer(event);
    stats.queued(event.type());
  }
}
