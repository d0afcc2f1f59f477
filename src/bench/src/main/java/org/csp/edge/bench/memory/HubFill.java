package org.csp.edge.bench.memory;

import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.DecideAlertsOperation;
import org.csp.edge.cluster.DeliveredEventsOperation;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.HubVerdicts;
import org.csp.edge.decision.RegionalBursts;
import org.csp.edge.decision.Verdict;

/**
 * Puts hubs in state through the node's own decision path, then acknowledges their events as the broker would, so
 * that what stays is the steady state of a tracked hub (nothing waiting for the broker), not a backlog.
 */
final class HubFill {
  /** Operations in flight at once: enough to keep the partition threads busy, few enough to keep garbage small. */
  private static final int BATCH = 2000;

  private final TrackedState shape;
  private final AlertPolicy policy;
  private final long now;
  private final AtomicLong operations = new AtomicLong(1);
  final Map<Verdict, Long> verdicts = new HashMap<>();
  /** The plain map's burst detector (on a member, the member's own answers: {@link DecideAlertsOperation}). */
  private final RegionalBursts regional = new RegionalBursts(() -> 1);

  HubFill(TrackedState shape, AlertPolicy policy, long now) {
    this.shape = shape;
    this.policy = policy;
    this.now = now;
  }

  /**
   * Through the member: {@link DecideAlertsOperation} per hub, as {@code HubStateStore} sends it, then {@link DeliveredEventsOperation}
   * for the events the member handed to its publisher ({@code published}).
   */
  void intoMember(IMap<String, HubState> hubs, ConcurrentLinkedQueue<HubEvent> published, int first, int count) {
    for (int from = first; from < first + count; from += BATCH) {
      int to = Math.min(first + count, from + BATCH);
      List<CompletableFuture<byte[]>> ops = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        List<Alert> alerts = shape.alerts(i, now);
        ops.add(hubs.submitToKey(alerts.get(0).hubId(), new DecideAlertsOperation(operations.getAndIncrement(), alerts, now, policy))
            .toCompletableFuture());
      }
      for (CompletableFuture<byte[]> op : ops) tally(new HubVerdicts(op.join()));
      Map<String, Set<String>> delivered = new HashMap<>();
      for (HubEvent e; (e = published.poll()) != null; ) {
        delivered.computeIfAbsent(e.hubId(), h -> new HashSet<>()).add(e.eventId());
      }
      if (!delivered.isEmpty()) hubs.submitToKeys(delivered.keySet(), new DeliveredEventsOperation(delivered, policy)).toCompletableFuture().join();
    }
  }

  /**
   * Without Hazelcast: the same decisions on bare {@link HubState}s, to tell the state's cost from the map's. The
   * regional questions go to a burst detector of its own, as a member's, for one member.
   */
  void intoPlainMap(Map<String, HubState> hubs, int first, int count) {
    for (int i = first; i < first + count; i++) {
      List<Alert> alerts = shape.alerts(i, now);
      HubState state = hubs.computeIfAbsent(alerts.get(0).hubId(), h -> new HubState());
      HubState.Outcome outcome = state.apply(alerts.get(0).hubId(), operations.getAndIncrement(), alerts, now, policy,
          regional);
      tally(new HubVerdicts(outcome.verdicts()));
      Set<String> ids = new HashSet<>();
      for (HubEvent e : state.waiting()) ids.add(e.eventId());
      state.delivered(ids);
    }
  }

  private void tally(HubVerdicts v) {
    for (int i = 0; i < v.size(); i++) verdicts.merge(v.verdict(i), 1L, Long::sum);
  }
}
