package org.csp.edge.consolidation;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.alert.Alert;

/**
 * The shared per-hub state: a Hazelcast map keyed by hub id, so that a cluster spreads hubs over its members and
 * every decision about a hub runs on the member that owns it. Results come back on the caller's Vert.x context.
 */
public final class HubStateStore {
  /** Its map settings (in-memory format, backups, idle expiry) are in cluster-config/. */
  public static final String MAP_NAME = "csp-hub-state";

  private final IMap<String, HubState> hubs;
  /** Operation ids: a random start per node, so that ids from different nodes do not meet. */
  private final AtomicLong operations = new AtomicLong(new SecureRandom().nextLong());

  public HubStateStore(IMap<String, HubState> hubs) {
    this.hubs = hubs;
  }

  public Future<HubVerdicts> apply(String hubId, List<Alert> alerts, long now, AlertPolicy policy, Context context) {
    return onContext(hubs.submitToKey(hubId, new ApplyAlerts(operations.incrementAndGet(), alerts, now, policy)), context);
  }

  Future<Integer> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods, Context context) {
    return onContext(hubs.submitToKey(hubId, new SettleHub(now, policy, flushOpenPeriods)), context);
  }

  Future<Integer> announce(String hubId, AlertPolicy policy, Context context) {
    return onContext(hubs.submitToKey(hubId, new AnnounceWaiting(policy)), context);
  }

  Future<Map<String, Boolean>> delivered(Map<String, Set<String>> eventIdsByHub, AlertPolicy policy, Context context) {
    return onContext(hubs.submitToKeys(eventIdsByHub.keySet(), new DeliveredEvents(eventIdsByHub, policy)), context);
  }

  Future<Map<String, GroupShare>> shareStep(Set<String> hubIds, ShareStep.Step step, String alertCode, String groupId,
      String creator, AlertPolicy policy, Context context) {
    return onContext(hubs.submitToKeys(hubIds, new ShareStep(step, alertCode, groupId, creator, policy)), context);
  }

  /**
   * Every hub that needs its owner, announced to its owner: after a membership change, so that hubs which moved by
   * migration (not as a promoted backup) are known to their new owner. Blocking: call it from a worker.
   */
  int reindex(AlertPolicy policy) {
    return hubs.executeOnEntries(new AnnounceWaiting(policy), new NeedsAttention(policy)).size();
  }

  /**
   * The result, back on the caller's context. The completion is run directly by the thread that completes the
   * operation and only hops to the context: left to Hazelcast's default async executor it would start a new thread
   * per operation on a JVM that sees 2 CPUs or fewer (common-pool parallelism 1; see src/docs/performance.md).
   */
  private static <T> Future<T> onContext(CompletionStage<T> operation, Context context) {
    Promise<T> result = Promise.promise();
    operation.whenCompleteAsync((value, failure) -> context.runOnContext(v -> {
      if (failure != null) result.fail(failure);
      else result.complete(value);
    }), DIRECTLY);
    return result.future();
  }

  private static final Executor DIRECTLY = Runnable::run;

  public int size() {
    return hubs.size();
  }
}
