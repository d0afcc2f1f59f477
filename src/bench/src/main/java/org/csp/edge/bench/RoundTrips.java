package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/**
 * Hazelcast round trips per alert over a whole scenario, from the members' invocation counters (status
 * {@code clusterInvocations}, summed over the members): remote invocations per alert received is the round-trip
 * figure; backup copies per alert is how many copies the owners made to the partitions' backups (one per hub
 * operation and configured backup that the cluster has a member for), a second hop that each owner waits for
 * before it answers. See src/docs/design.md.
 */
record RoundTrips(int members, long alerts, long remote, long local, long hubOperations, long backupCopies,
    JsonObject byKind) {

  static RoundTrips of(int members, JsonObject status) {
    JsonObject inv = status.getJsonObject("clusterInvocations", new JsonObject());
    return new RoundTrips(members, status.getLong("received", 0L), inv.getLong("remote", 0L), inv.getLong("local", 0L),
        inv.getLong("hubOperations", 0L), inv.getLong("backupCopies", 0L), inv.getJsonObject("byKind", new JsonObject()));
  }

  double remotePerAlert() {
    return alerts == 0 ? Double.NaN : (double) remote / alerts;
  }

  /** Backup copies per alert: none on a single member. */
  double backupsPerAlert() {
    return alerts == 0 ? 0 : (double) backupCopies / alerts;
  }

  JsonObject toJson() {
    return new JsonObject().put("members", members).put("alertsReceived", alerts).put("remoteInvocations", remote)
        .put("localInvocations", local).put("hubOperations", hubOperations).put("backupCopies", backupCopies)
        .put("roundTripsPerAlert", Numbers.round3(remotePerAlert()))
        .put("backupCopiesPerAlert", Numbers.round3(backupsPerAlert()))
        .put("byKind", byKind);
  }
}
