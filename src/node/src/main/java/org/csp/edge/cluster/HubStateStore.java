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
  /** How long a decision whose backups do not answer is asked again, from the cluster's clocks. */
  private final BackupPatience patience;
  /** The cluster's silences as this member last heard of them (the silence store sets them); none at first. */
  private volatile List<Silence> silences = List.of();

  public HubStateStore(HazelcastInstance member) {
    this.member = member;
    this.hubs = member.getMap(MAP_NAME);
    this.owners = member.getExecutorService(DecideOnOwnerTask.EXECUTOR);
    this.invocations = new ClusterInvocations(member.getPartitionService(), backupsPerOperation(member));
    this.patience = BackupPatience.of(member.getConfig());
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
    return applyOne(hub, operationId, alerts, now, policy, context, new DecisionDeadline(patience, this::memberList));
  }

  /**
   * Asks the hub's owner for the decision until it holds: answered with every backup's acknowledgement
   * ({@link BackedUpOrFailed}), no member having left while it ran, and, if a member left since the first ask,
   * the hub's partition backed up again on the members left ({@link MemberView#backedUp}). Each ask carries the
   * same operation id, so the owner answers what it decided and copies it to the backups again.
   *
   * <p>A backup that does not answer is a member cut off, or a member on the far side of a cut from this one. On the
   * side that keeps its quorum that lasts until the member is dropped and the partition has a backup on a member left:
   * the decision is asked again, with pauses that double ({@link BackupPatience}), at once after the member list
   * changed, and answered once it holds. On a member cut off it lasts until it drops the others: a decision it asks
   * as it drops them one at a time can complete without a backup (Hazelcast stops waiting for one that left, a
   * partition whose backup was on a member dropped has none), which is why that one does not count, and once it is
   * alone its quorum is gone and the owner refuses (not asked again). A decision that has not held by its
   * {@link DecisionDeadline} fails as indeterminate, even while an ask is still under way (a remote owner that does
   * not answer): the sender is not acknowledged and sends again. An ask that holds after that releases its held
   * events all the same; the resend is then a duplicate.
   */
  private Future<HubVerdicts> applyOne(String hub, long operationId, List<Alert> alerts, long now, AlertPolicy policy,
      Context context, DecisionDeadline deadline) {
    Promise<HubVerdicts> answer = Promise.promise();
    if (!alone()) refuseAt(deadline, context, answer.future(), () -> refuse(answer, hub));
    ask(new Asked(hub, operationId, alerts, now, policy, context, deadline), 1, answer);
    return answer.future();
  }

  /** One decision asked until it holds (see {@link #applyOne}). */
  private record Asked(String hub, long operationId, List<Alert> alerts, long now, AlertPolicy policy, Context context,
      DecisionDeadline deadline) {}

  private void ask(Asked a, int asks, Promise<HubVerdicts> answer) {
    invocations.hubOperations(1);
    DecideAlertsOperation decide = new DecideAlertsOperation(a.operationId(), a.alerts(), a.now(), a.policy(),
        SilencesInForce.forHub(silences, a.hub(), a.now())).heldForAnswer();
    Set<Member> askedAmong = memberList();
    onContext(BackedUpOrFailed.submitToKey(hubs, a.hub(), decide), a.context()).onComplete(done -> {
      if (done.succeeded() && held(a, askedAmong)) {
        answered(a.hub(), decide, askedAmong);
        answer.tryComplete(new HubVerdicts(done.result()));
        return;
      }
      if (done.failed() && !indeterminate(done.cause())) {
        answer.tryFail(done.cause()); // refused (no quorum, a full queue) or gone: not a backup's silence
        return;
      }
      if (done.failed()) invocations.indeterminateFailure();
      if (answer.future().isComplete()) return; // refused at the deadline already
      long pause = memberList().equals(askedAmong) ? patience.pauseAfter(asks) : patience.firstPauseMillis();
      if (a.deadline().within(pause)) {
        refuse(answer, a.hub());
        return;
      }
      a.context().owner().setTimer(pause, t -> a.context().runOnContext(v -> {
        if (answer.future().isComplete()) return;
        invocations.one(ClusterInvocations.Kind.APPLY, a.hub()); // wherever it is owned by now
        ask(a, asks + 1, answer);
      }));
    });
  }

  /**
   * Whether a decision that completed is held by its backups: no member left while it ran (one that did may have
   * been the backup it stopped waiting for), and, if one left since the first ask, the partition has its backups
   * on the members left (a partition whose backup was on a member dropped completes without one).
   */
  private boolean held(Asked a, Set<Member> askedAmong) {
    if (!memberList().containsAll(askedAmong)) return false;
    if (!a.deadline().memberLeft()) return true;
    OwnedHubs owned = OwnedHubs.of(member);
    return owned == null || owned.member().backedUp(a.hub());
  }

  /**
   * Runs {@code refuse} on {@code context} once {@code deadline} has passed, unless {@code answered} completed first
   * (the timer is cancelled then, so that decisions answered at once leave none behind).
   */
  private void refuseAt(DecisionDeadline deadline, Context context, Future<?> answered, Runnable refuse) {
    long timer = context.owner().setTimer(deadline.remainingMillis(), t -> context.runOnContext(v -> {
      if (answered.isComplete()) return;
      if (deadline.within(0)) refuse.run();
      else refuseAt(deadline, context, answered, refuse); // moved: a member left since the first ask
    }));
    answered.onComplete(done -> context.owner().cancelTimer(timer));
  }

  /**
   * Whether this member is the cluster's only one: its operations then run here and wait for no backup, so they
   * cannot hang on a member that does not answer, and a lone node's decisions need no deadline timer each.
   */
  private boolean alone() {
    return member.getCluster().getMembers().size() == 1;
  }

  private void refuse(Promise<HubVerdicts> answer, String hub) {
    if (answer.tryFail(new com.hazelcast.core.IndeterminateOperationStateException("the decision for hub " + hub
        + " was not held by its backups in time; the sender sends it again"))) {
      invocations.indeterminateFailure();
    }
  }

  /** The members as this member sees them now: Hazelcast's own snapshot, the same set until the list changes. */
  private Set<Member> memberList() {
    return member.getCluster().getMembers();
  }

  /** The decision ran here, as the hub's owner, and its backups answered: the events it held go out. */
  private void answered(String hub, DecideAlertsOperation decided, Set<Member> asked) {
    OwnedHubs owned = OwnedHubs.of(member);
    if (owned != null && owned.noneLeftSince(asked)) owned.answered(hub, decided);
  }

  /** Whether {@code failure} (or a cause) says an operation's backups did not all acknowledge in time. */
  static boolean indeterminate(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof com.hazelcast.core.IndeterminateOperationStateException) return true;
      if (t.getCause() == t) break;
    }
    return false;
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
    // An owner that does not answer (cut off) keeps the task waiting until it is dropped: the senders are answered
    // by the deadline all the same, and the hubs asked on their own after a failure keep it.
    DecisionDeadline deadline = new DecisionDeadline(patience, this::memberList);
    Promise<Void> taskDone = Promise.promise();
    if (!alone()) refuseAt(deadline, context, taskDone.future(), () -> promises.forEach((hub, p) -> refuse(p, hub)));
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
          promises.get(ids[i]).tryComplete(new HubVerdicts(verdicts));
        }
        taskDone.tryComplete();
      } else if (rejected(done.cause())) {
        // The owner's executor queue is full (cluster-config: csp-hub-batches' queue-capacity): asking each hub
        // on its own would only load the same member more. Unavailable: the ack is withheld, the client resends.
        batchesRefused.increment();
        taskDone.tryComplete();
        for (Promise<HubVerdicts> p : promises.values()) p.tryFail(done.cause());
      } else {
        // The owner left, the task timed out, or a hub's backup did not acknowledge in time (indeterminate).
        if (indeterminate(done.cause())) invocations.indeterminateFailure();
        taskDone.tryComplete(); // each hub's own ask keeps the deadline
        for (int i = 0; i < ids.length; i++) {
          Promise<HubVerdicts> p = promises.get(ids[i]);
          if (p.future().isComplete()) continue; // refused at the deadline
          invocations.one(ClusterInvocations.Kind.APPLY, ids[i]); // wherever it is owned by now
          applyOne(ids[i], operationIds[i], alerts.get(i), now, policy, context, deadline).onComplete(ar -> {
            if (ar.succeeded()) p.tryComplete(ar.result());
            else p.tryFail(ar.cause());
          });
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

  Future<Long> announce(String hubId, AlertPolicy policy, Context context) {
    invocations.one(ClusterInvocations.Kind.ANNOUNCE, hubId);
    return onContext(BackedUpOrFailed.submitToKey(hubs, hubId, new AnnounceWaitingOperation(policy)), context);
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
    return onContext(BackedUpOrFailed.submitToKey(hubs, hub, processor), context)
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

  /**
   * Every part's result, once every part has finished (join, not all: a step that failed must not leave another still
   * running when the caller settles the group, or a SEAL could land after the UNSEAL that undoes it).
   */
  private static Future<Map<String, GroupShare>> merged(List<Future<Map<String, GroupShare>>> parts) {
    return Future.join(parts).map(done -> {
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
