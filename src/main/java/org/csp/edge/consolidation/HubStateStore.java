package org.csp.edge.consolidation;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
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
    return Future.fromCompletionStage(hubs.submitToKey(hubId, new ApplyAlerts(alerts, now, policy)), context);
  }

  public Future<HubVerdicts> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods, Context context) {
    return Future.fromCompletionStage(hubs.submitToKey(hubId, new SettleHub(now, policy, flushOpenPeriods)), context);
  }

  public int size() {
    return hubs.size();
  }
}
