package org.csp.edge.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events in this member's outbox that only it holds, until the broker takes them: its heartbeats and its regional
 * storms' notices. A hub's events wait in the hub's state and a group's in its record, so another member publishes
 * them when this one goes; these would go with it (cluster.HandedOverEvents hands them over instead).
 */
public final class MemberLocalEvents {
  private final Map<String, UpstreamEvent> undelivered = new ConcurrentHashMap<>();

  /** {@code event}, to be offered in its place: tracked until delivered (or dead-lettered). */
  public UpstreamEvent tracked(UpstreamEvent event) {
    Runnable then = event.afterDelivery();
    UpstreamEvent tracked = event.afterDelivery(() -> {
      undelivered.remove(event.eventId());
      then.run();
    });
    undelivered.put(event.eventId(), tracked);
    return tracked;
  }

  public List<UpstreamEvent> undelivered() {
    return List.copyOf(undelivered.values());
  }
}
