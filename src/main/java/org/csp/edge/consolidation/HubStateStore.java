package org.csp.edge.consolidation;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.List;
import org.csp.edge.alert.Alert;

/**
 * The shared per-hub state: a Hazelcast map keyed by hub id, so that a cluster spreads hubs over its members and
 * every decision about a hub runs on the member that owns it. Results come back on the caller's Vert.x context.
 */
public final class HubStateStore {
  /** Its map settings (in-memory format, backups, idle expiry) are in cluster-config/. */
  public static final String MAP_NAME = "csp-hub-state";

  private final IMap<String, HubState> hubs;

  public HubStateStore(IMap<String, HubState> hubs) {
    this.hubs = hubs;
  }

  public Future<HubVerdicts> apply(String hubId, List<Alert> alerts, long now, AlertPolicy policy, Context context) {
    return onContext(hubs.submitToKey(hubId, new ApplyAlerts(alerts, now, policy)), context);
  }

  public Future<HubVerdicts> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods, Context context) {
    return onContext(hubs.submitToKey(hubId, new SettleHub(now, policy, flushOpenPeriods)), context);
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
