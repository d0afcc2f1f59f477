package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.csp.edge.alert.Alert;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.HubVerdicts;
import org.csp.edge.decision.Silence;

/**
 * The shared per-hub state: a Hazelcast map keyed by hub id, so that a cluster spreads hubs over its members and
 * every decision about a hub runs on the member that owns it. Results come back on the caller's Vert.x context.
 */
public final class HubStateStore {
  /** Its map settings (in-memory format, backups, idle expiry) are in cluster-config/. */
  public static final String MAP_NAME = "csp-hub-state";

  private final HazelcastInstance member;
  private final IMap<String, HubState> hubs;
  private final IExecutorService owners;
  private final ClusterInvocations invocations;
  /** Operation ids: a random start per node, so that ids from different nodes do not meet. */
  private final AtomicLong operations = new AtomicLong(new SecureRandom().nextLong());
  private final java.util.concurrent.atomic.LongAdder batchesRefused = new java.util.concurrent.atomic.LongAdder();
  /** The cluster's silences as this member last heard of them (the silence store sets them); none at first. */
  private volatile List<Silence> silences = List.of();

  public HubStateStore(HazelcastInstance member) {
    this.member = member;
    this.hubs = member.getMap(MAP_NAME);
    this.owners = member.getExecutorService(DecideOnOwnerTask.EXECUTOR);
    this.invocations = new ClusterInvocations(member.getPartitionService(), backupsPerOperation(member));
  }

  /**
   * The copies each hub operation makes besides the owner's: the map's configured backups, as far as the cluster
   * has members to hold them (Hazelcast keeps no two copies of a partition on one member).
   */
  private static IntSupplier backupsPerOperation(HazelcastInstance member) {
    MapConfig map = member.getConfig().getMapConfig(MAP_NAME);
    int configured = map.getBackupCount() + map.getAsyncBackupCount();
    return () -> Math.min(configured, member.getCluster().getMembers().size() - 1);
  }

  /** Batches of this node's alerts that their owner refused because its executor queue was full. */
  public long batchesRefused() {
    return batchesRefused.sum();
  }

  /** Batch tasks waiting in this member's executor queue (bounded in cluster-config/, NODE_HUB_BATCH_QUEUE). */
  public long batchesQueued() {
    return owners.getLocalExecutorStats().getPendingTaskCount();
  }

  /** The silences every decision of this member carries from now on (org.csp.edge.silence keeps them current). */
  public void silences(List<Silence> inForce) {
    this.silences = List.copyOf(inForce);
  }

  /** Members this member sees, for log lines. */
  int members() {
    return member.getCluster().getMembers().size();
  }

  public ClusterInvocations invocations() {
    return invocations;
  }

  /**
   * Decides one message's alerts, grouped by hub (each hub's alerts in the message's order): one invocation per
   * remote owner that holds several of the hubs, one {@code submitToKey} per hub otherwise (hubs this member owns:
   * local, no round trip; a remote owner holding only one of them: the task would cost more than the operation).
   * Every hub's future completes on {@code context}, with its verdicts, once its decision is kept and backed up.
   */
  public Map<String, Future<HubVerdicts>> apply(Map<String, List<Alert>> alertsByHub, long now, AlertPolicy policy,
      Context context) {
    Map<String, Future<HubVerdicts>> results = new HashMap<>(alertsByHub.size() * 2);
    Map<Member, List<String>> byRemoteOwner = byRemoteOwner(alertsByHub.keySet(), (hub, owner) -> {
      invocations.onOwner(ClusterInvocations.Kind.APPLY, owner);
      results.put(hub, applyOne(hub, operations.incrementAndGet(), alertsByHub.get(hub), now, policy, context));
    });
    byRemoteOwner.forEach((owner, hubIds) -> {
      if (hubIds.size() == 1) {
        String hub = hubIds.get(0);
        invocations.to(ClusterInvocations.Kind.APPLY, owner);
        results.put(hub, applyOne(hub, operations.incrementAndGet(), alertsByHub.get(hub), now, policy, context));
      } else {
        results.putAll(applyOnOwner(owner, hubIds, alertsByHub, now, policy, context));
      }
    });
    return results;
  }

  /**
   * The hubs of a remote owner, by owner; each hub owned here (or whose owner is not known yet: null) goes to
   * {@code local} with its owner. Each hub's owner is looked up once (hashing its serialised id), and the caller
   * counts its invocation with that owner instead of looking it up again.
   */
  private Map<Member, List<String>> byRemoteOwner(Collection<String> hubIds, BiConsumer<String, Member> local) {
    Map<Member, List<String>> byRemoteOwner = new LinkedHashMap<>();
    for (String hub : hubIds) {
      Member owner = invocations.owner(hub);
      if (owner == null || owner.localMember()) local.accept(hub, owner);
      else byRemoteOwner.computeIfAbsent(owner, m -> new ArrayList<>(4)).add(hub);
    }
    return byRemoteOwner;
  }

  /** One hub's alerts on its owner; the caller has counted the invocation. */
  private Future<HubVerdicts> applyOne(String hub, long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      Context context) {
    invocations.hubOperations(1);
    return onContext(hubs.submitToKey(hub,
        new DecideAlertsOperation(operationId, alerts, now, policy, SilencesInForce.forHub(silences, hub, now))), context).map(HubVerdicts::new);
  }

  /**
   * One task to the owner for all its hubs of the message. If the task fails (the owner left, the task timed out),
   * each hub is asked again on its own with the same operation id: a hub that already decided answers what it
   * decided, the others decide now, on whichever member owns them by then.
   */
  private Map<String, Future<HubVerdicts>> applyOnOwner(Member owner, List<String> hubIds,
      Map<String, List<Alert>> alertsByHub, long now, AlertPolicy policy, Context context) {
    String[] ids = hubIds.toArray(new String[0]);
    long[] operationIds = new long[ids.length];
    List<List<Alert>> alerts = new ArrayList<>(ids.length);
    Map<String, Promise<HubVerdicts>> promises = new LinkedHashMap<>();
    for (int i = 0; i < ids.length; i++) {
      operationIds[i] = operations.incrementAndGet();
      alerts.add(alertsByHub.get(ids[i]));
      promises.put(ids[i], Promise.promise());
    }
    invocations.to(ClusterInvocations.Kind.APPLY_ON_OWNER, owner);
    invocations.hubOperations(ids.length);
    @SuppressWarnings("unchecked")
    CompletionStage<byte[]> task = (CompletionStage<byte[]>) owners.submitToMember(
        new DecideOnOwnerTask(ids, operationIds, alerts, now, policy, SilencesInForce.at(silences, now)), owner);
    onContext(task, context).onComplete(done -> {
      if (done.succeeded()) {
        byte[] all = done.result();
        int at = 0;
        for (int i = 0; i < ids.length; i++) {
          int n = alerts.get(i).size();
          byte[] verdicts = new byte[n];
          System.arraycopy(all, at, verdicts, 0, n);
          at += n;
          promises.get(ids[i]).complete(new HubVerdicts(verdicts));
        }
      } else if (rejected(done.cause())) {
        // The owner's executor queue is full (cluster-config: csp-hub-batches' queue-capacity): asking each hub
        // on its own would only load the same member more. Unavailable: the ack is withheld, the client resends.
        batchesRefused.increment();
        for (Promise<HubVerdicts> p : promises.values()) p.fail(done.cause());
      } else {
        for (int i = 0; i < ids.length; i++) {
          invocations.one(ClusterInvocations.Kind.APPLY, ids[i]); // wherever it is owned by now
          applyOne(ids[i], operationIds[i], alerts.get(i), now, policy, context).onComplete(promises.get(ids[i]));
        }
      }
    });
    Map<String, Future<HubVerdicts>> futures = new HashMap<>(ids.length * 2);
    promises.forEach((hub, p) -> futures.put(hub, p.future()));
    return futures;
  }

  private static boolean rejected(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.RejectedExecutionException) return true;
    }
    return false;
  }

  Future<Integer> settle(String hubId, long now, AlertPolicy policy, boolean flushOpenPeriods, Context context) {
    invocations.one(ClusterInvocations.Kind.SETTLE, hubId);
    invocations.hubOperations(1);
    return onContext(hubs.submitToKey(hubId, new SettleHubOperation(now, policy, flushOpenPeriods)), context);
  }

  Future<Integer> announce(String hubId, AlertPolicy policy, Context context) {
    invocations.one(ClusterInvocations.Kind.ANNOUNCE, hubId);
    return onContext(hubs.submitToKey(hubId, new AnnounceWaitingOperation(policy)), context);
  }

  Future<Map<String, Boolean>> delivered(Map<String, Set<String>> eventIdsByHub, AlertPolicy policy, Context context) {
    invocations.hubOperations(eventIdsByHub.size());
    return submitByPartition(eventIdsByHub.keySet(), ClusterInvocations.Kind.DELIVERED, slice -> {
      Map<String, Set<String>> own = new HashMap<>(slice.size() * 2);
      for (String hub : slice) own.put(hub, eventIdsByHub.get(hub));
      return new DeliveredEventsOperation(own, policy);
    }, context);
  }

  /**
   * One step of a regional group on each of its hubs; the result holds the hubs whose step returned a share (SEAL).
   * Every step waits for its hub's backup before it completes (unlike {@code submitToKeys}: see
   * {@link ShareStepsOnOwnerTask}): a hub owned here is one local {@code submitToKey}; a remote owner of several of the
   * hubs gets one task for all of them, and if the task fails each of its hubs is asked on its own (the steps
   * are idempotent).
   */
  Future<Map<String, GroupShare>> shareStep(Set<String> hubIds, ShareStepOperation.Step step, String alertCode, String groupId,
      String creator, AlertPolicy policy, Context context) {
    invocations.hubOperations(hubIds.size());
    ShareStepOperation processor = new ShareStepOperation(step, alertCode, groupId, creator, policy);
    List<Future<Map<String, GroupShare>>> parts = new ArrayList<>();
    byRemoteOwner(hubIds, (hub, owner) -> parts.add(stepOne(hub, owner, processor, context))).forEach((owner, ids) -> {
      if (ids.size() == 1) parts.add(stepOne(ids.get(0), owner, processor, context));
      else parts.add(stepsOnOwner(owner, ids, processor, context));
    });
    return merged(parts);
  }

  /** {@code owner}: as just looked up (null: not known); {@link ClusterInvocations#onOwner} counts it. */
  private Future<Map<String, GroupShare>> stepOne(String hub, Member owner, ShareStepOperation processor, Context context) {
    invocations.onOwner(ClusterInvocations.Kind.SHARE_STEP, owner);
    return onContext(hubs.submitToKey(hub, processor), context)
        .map(share -> share == null ? Map.<String, GroupShare>of() : Map.of(hub, share));
  }

  private Future<Map<String, GroupShare>> stepsOnOwner(Member owner, List<String> hubIds, ShareStepOperation processor,
      Context context) {
    invocations.to(ClusterInvocations.Kind.SHARE_STEP, owner);
    @SuppressWarnings("unchecked")
    CompletionStage<Map<String, GroupShare>> task = (CompletionStage<Map<String, GroupShare>>) (CompletionStage<?>)
        owners.submitToMember(new ShareStepsOnOwnerTask(hubIds.toArray(new String[0]), processor), owner);
    return onContext(task, context).recover(failed -> {
      List<Future<Map<String, GroupShare>>> each = new ArrayList<>(hubIds.size());
      for (String hub : hubIds) each.add(stepOne(hub, invocations.owner(hub), processor, context));
      return merged(each);
    });
  }

  private static Future<Map<String, GroupShare>> merged(List<Future<Map<String, GroupShare>>> parts) {
    return Future.all(parts).map(done -> {
      Map<String, GroupShare> shares = new HashMap<>();
      for (Future<Map<String, GroupShare>> part : parts) shares.putAll(part.result());
      return shares;
    });
  }

  /**
   * {@code submitToKeys} by partition: one call per partition this member owns, slices of at most
   * {@link #REMOTE_PARTITIONS_PER_CALL} partitions for a remote owner. Hazelcast 5.3 sends every key of a call to
   * every partition the call touches, and each partition's operation hashes and looks up every key of the call, the
   * other partitions' ones too ({@code EntryOperator.operateOnKey} and {@code doPostOperateOps}): K keys over P
   * partitions cost K x P. Locally a call is cheap, so one per partition costs K; a remote call is a round trip,
   * so remote slices trade K x 16 hashes for 16 times fewer round trips (the cluster's target is at most one per
   * alert). With all 271 partitions in one call the receipts were the node's top hot spot; with local slices of 16
   * they still cost as much as the hub decisions themselves (src/bench/results/2026-11-23-bench5.md). Only for
   * receipts: a receipt whose asynchronous backup is lost with its owner costs a repeat of the event with the same
   * id, which the DSP drops.
   */
  private <R> Future<Map<String, R>> submitByPartition(Set<String> keys, ClusterInvocations.Kind kind,
      Function<Set<String>, EntryProcessor<String, HubState, R>> processorFor, Context context) {
    PartitionService partitions = member.getPartitionService();
    Map<Member, TreeMap<Integer, Set<String>>> byOwner = new HashMap<>();
    for (String key : keys) {
      Partition p = partitions.getPartition(key);
      byOwner.computeIfAbsent(p.getOwner(), o -> new TreeMap<>())
          .computeIfAbsent(p.getPartitionId(), id -> new HashSet<>()).add(key);
    }
    List<Future<Map<String, R>>> calls = new ArrayList<>();
    byOwner.forEach((owner, ownPartitions) -> {
      int perCall = owner == null || owner.localMember() ? 1 : REMOTE_PARTITIONS_PER_CALL;
      Set<String> slice = new HashSet<>();
      int partitionsInSlice = 0;
      for (Set<String> partitionKeys : ownPartitions.values()) {
        slice.addAll(partitionKeys);
        if (++partitionsInSlice == perCall) {
          calls.add(submit(slice, owner, kind, processorFor, context));
          slice = new HashSet<>();
          partitionsInSlice = 0;
        }
      }
      if (!slice.isEmpty()) calls.add(submit(slice, owner, kind, processorFor, context));
    });
    return Future.all(calls).map(done -> {
      Map<String, R> all = new HashMap<>(keys.size() * 2);
      for (Future<Map<String, R>> call : calls) all.putAll(call.result());
      return all;
    });
  }

  /** Partitions of a remote owner per {@code submitToKeys} call (see {@link #submitByPartition}). */
  private static final int REMOTE_PARTITIONS_PER_CALL = 16;

  /** One call: every key of {@code slice} is in a partition of {@code owner} (null: not known yet). */
  private <R> Future<Map<String, R>> submit(Set<String> slice, Member owner, ClusterInvocations.Kind kind,
      Function<Set<String>, EntryProcessor<String, HubState, R>> processorFor, Context context) {
    invocations.to(kind, owner);
    return onContext(hubs.submitToKeys(slice, processorFor.apply(slice)), context);
  }

  /**
   * Every hub that needs its owner, announced to its owner: after a membership change, so that hubs which moved by
   * migration (not as a promoted backup) are known to their new owner. Blocking: call it from a worker.
   * One invocation per member, counted on the oldest member, which runs it.
   */
  int reindex(AlertPolicy policy) {
    for (Member m : member.getCluster().getMembers()) invocations.to(ClusterInvocations.Kind.REINDEX, m);
    return hubs.executeOnEntries(new AnnounceWaitingOperation(policy), new NeedsAttention(policy)).size();
  }

  /**
   * Removes every hub, cluster-wide, with no alert since {@code before} and nothing held (see {@link ForgetIdleHubsOperation}).
   * Blocking (a scan of every partition on its owner and backup): call it from a worker, on one member.
   */
  void forgetIdle(long before) {
    for (Member m : member.getCluster().getMembers()) invocations.to(ClusterInvocations.Kind.FORGET_IDLE, m);
    hubs.executeOnEntries(new ForgetIdleHubsOperation(before), new ForgetIdleHubsOperation.Idle(before));
  }

  /**
   * The result, back on the caller's context. The completion is run directly by the thread that completes the
   * operation and only hops to the context: left to Hazelcast's default async executor it would start a new thread
   * per operation on a JVM that sees 2 CPUs or fewer (common-pool parallelism 1; see
   * src/bench/results/2026-11-23-first-run.md).
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

  /** Puts hubs' states back as the journal held them (a member alone, before its intakes open). */
  void restore(Map<String, HubState> states) {
    hubs.putAll(states);
  }

  /** Hubs whose primary copy this member holds: local figures only, no invocation (for status and metrics). */
  public long ownedHere() {
    return hubs.getLocalMapStats().getOwnedEntryCount();
  }
}
