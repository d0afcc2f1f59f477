package org.csp.edge.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.decision.StormEvent;

/** Encodes what the decisions raised ({@link EventFactory}), queues it in the {@link Outbox} and counts it. */
public final class OutboxSink implements EventSink {
  private final EventFactory events;
  private final Outbox outbox;
  private final NodeStats stats;
  private final HubReceipts receipts;
  private volatile StormListener storms = StormListener.NONE;
  private volatile OpenRegionalStorms openStorms;
  private final MemberLocalEvents memberLocal;

  public OutboxSink(EventFactory events, Outbox outbox, NodeStats stats, HubReceipts receipts, MemberLocalEvents memberLocal) {
    this.memberLocal = memberLocal;
    this.events = events;
    this.outbox = outbox;
    this.stats = stats;
    this.receipts = receipts;
  }

  /** Where the regional storms this member started are kept until their end is delivered (null: nowhere). */
  public void regionalStormsIn(OpenRegionalStorms open) {
    openStorms = open;
  }

  /** Who else hears of the storms queued here (the digests). */
  public void stormsTo(StormListener listener) {
    storms = listener == null ? StormListener.NONE : listener;
  }

  @Override
  public void hubEvent(HubEvent event) {
    if (event instanceof StormEvent.Started started) {
      stats.stormsStarted.increment();
      stats.ofCode(started.alertCode()).stormsStarted.increment();
      storms.storm(started.eventId(), started.alertCode(), true, started.at());
    }
    if (event instanceof StormEvent.Ended ended) {
      stats.stormsEnded.increment();
      stats.ofCode(ended.alertCode()).stormsEnded.increment();
      storms.storm(ended.eventId(), ended.alertCode(), false, ended.endedAt());
    }
    String hub = event.hubId();
    String id = event.eventId();
    List<UpstreamEvent> parts = events.hubEvents(event);
    // The hub keeps the event until the broker has every part of it (a resend sends every part, same ids).
    AtomicInteger undelivered = new AtomicInteger(parts.size());
    Runnable receipt = () -> {
      if (undelivered.decrementAndGet() == 0) receipts.delivered(hub, id);
    };
    for (UpstreamEvent part : parts) queue(part.afterDelivery(receipt));
  }

  @Override
  public void regionalNotice(RegionalEvent notice) {
    UpstreamEvent event = events.regional(notice);
    OpenRegionalStorms open = openStorms;
    if (notice instanceof RegionalEvent.Started s) {
      storms.storm(event.eventId(), s.alertCode(), true, s.at());
      if (open != null) open.started(s);
    }
    if (notice instanceof RegionalEvent.Ended s) {
      storms.storm(event.eventId(), s.alertCode(), false, s.endedAt());
      if (open != null) {
        open.endRaised(s);
        event = event.afterDelivery(() -> open.endDelivered(s));
      }
    }
    queue(memberLocal.tracked(event));
  }

  @Override
  public void group(UpstreamEvent recorded, Runnable afterDelivery) {
    queue(recorded.afterDelivery(afterDelivery));
  }

  private void queue(UpstreamEvent event) {
    outbox.offer(event);
    stats.queued(event.type());
  }
}
