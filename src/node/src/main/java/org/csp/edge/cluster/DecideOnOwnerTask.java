package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.IMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.csp.edge.alert.Alert;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.Silence;

/**
 * One message's alerts for several hubs owned by one remote member, sent there as a single task: one network round
 * trip instead of one per hub. On the owner each hub's share is an ordinary {@link DecideAlertsOperation} on its key, so
 * everything that operation guarantees holds unchanged: the decision is atomic on the hub's partition, it is
 * copied to the partition's backup synchronously before it answers (a PUBACK still means it survives the owner's
 * death), the backup takes the owner's regional answers, and the operation id makes a retry answer the same.
 *
 * <p>Why not {@code IMap.submitToKeys}: Hazelcast 5.3 runs it as one {@code MultipleEntryOperation} per partition
 * whose backups are asynchronous ({@code getSyncBackupCount()} is 0), and the per-member operation does not wait for
 * them; the owner could answer, and die, before its backup had the decision. Here the invocations are local to
 * the owner, so they cost no network round trip, and each waits for its backup.
 *
 * <p>The result is every hub's verdicts, concatenated in the task's hub order (a byte array crosses the network
 * with Hazelcast's own serializer). The task blocks one thread of its executor while the local operations run.
 */
final class DecideOnOwnerTask implements Callable<byte[]>, HazelcastInstanceAware {
  /** The member's executor for these tasks (Hazelcast's defaults: 16 threads). */
  static final String EXECUTOR = "csp-hub-batches";

  private final String[] hubIds;
  private final long[] operationIds;
  private final List<List<Alert>> alerts;
  private final long now;
  private final AlertPolicy policy;
  /** The silences in force for any of the hubs; each hub's operation takes those that may match it. */
  private final List<Silence> silences;
  private transient HazelcastInstance member;

  DecideOnOwnerTask(String[] hubIds, long[] operationIds, List<List<Alert>> alerts, long now, AlertPolicy policy) {
    this(hubIds, operationIds, alerts, now, policy, List.of());
  }

  DecideOnOwnerTask(String[] hubIds, long[] operationIds, List<List<Alert>> alerts, long now, AlertPolicy policy,
      List<Silence> silences) {
    this.hubIds = hubIds;
    this.operationIds = operationIds;
    this.alerts = alerts;
    this.now = now;
    this.policy = policy;
    this.silences = silences;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance member) {
    this.member = member;
  }

  @Override
  public byte[] call() throws Exception {
    IMap<String, HubState> hubs = member.getMap(HubStateStore.MAP_NAME);
    @SuppressWarnings("unchecked")
    CompletableFuture<byte[]>[] running = new CompletableFuture[hubIds.length];
    for (int i = 0; i < hubIds.length; i++) {
      running[i] = hubs.submitToKey(hubIds[i], new DecideAlertsOperation(operationIds[i], alerts.get(i), now, policy,
          SilencesInForce.forHub(silences, hubIds[i], now)))
          .toCompletableFuture();
    }
    int total = 0;
    for (List<Alert> a : alerts) total += a.size();
    byte[] verdicts = new byte[total];
    int at = 0;
    for (int i = 0; i < running.length; i++) {
      byte[] one = running[i].get(); // every hub's share has run and been backed up
      System.arraycopy(one, 0, verdicts, at, one.length);
      at += one.length;
    }
    return verdicts;
  }

  // For its serializer (ClusterSerializers): its fields, and the operation restored from them.

  String[] hubIds() {
    return hubIds;
  }

  long[] operationIds() {
    return operationIds;
  }

  List<List<Alert>> alerts() {
    return alerts;
  }

  long now() {
    return now;
  }

  AlertPolicy policy() {
    return policy;
  }

  List<Silence> silences() {
    return silences;
  }
}
