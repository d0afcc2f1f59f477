package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubAttention;
import org.csp.edge.decision.NodeClock;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock-driven side of consolidation, on each member for the hubs it owns: summaries when a period is over,
 * storm ends after a quiet period, regional groups when their wait is over, events of hubs that came to this
 * member still waiting for the broker, and the broker's receipts handed back to the hubs. Because only a hub's
 * owner does this, each summary is raised once, and a hub that changes owner is taken up by the new one.
 */
public final class OwnerSweeper extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OwnerSweeper.class);
  /**
   * An owned hub's entry not refreshed by any operation for this many sweeps is read afresh: it may be stale (the
   * hub's partition left this member and came back while others changed the hub).
   */
  private static final int REFRESH_AFTER_SWEEPS = 20;

  private final HazelcastInstance member;
  private final HubStateStore hubs;
  private final OwnedHubs owned;
  private final RegionalGroups groups;
  private final DeliveryReceipts receipts;
  private final EventSink sink;
  private final NodeClock clock;
  private final Supplier<AlertPolicy> policy;
  private final Quorum quorum;
  private final Duration interval;
  private final Duration receiptInterval;
  /** A hub with no alert for this long and nothing held is forgotten (0: never); see {@link #forgetIdle}. */
  private final Duration hubIdle;
  private long lastIdleSweep = Long.MIN_VALUE;
  private long timer = -1;
  private long receiptTimer = -1;
  private boolean sweeping;
  /** A scan of every partition (re-index, idle expiry) is under way. */
  private boolean scanning;
  private boolean flushingReceipts;
  private boolean receiptsFailing;
  /** Set by membership and migration listeners: hubs may have come to new owners that do not know them yet. */
  private volatile boolean reindexWanted = true;

  public OwnerSweeper(HazelcastInstance member, HubStateStore hubs, OwnedHubs owned, DeliveryReceipts receipts,
      EventFactory events, EventSink sink, NodeClock clock, Supplier<AlertPolicy> policy, Quorum quorum,
      Duration interval, Duration receiptInterval, Duration hubIdle) {
    this.member = member;
    this.hubs = hubs;
    this.owned = owned;
    this.receipts = receipts;
    this.sink = sink;
    this.clock = clock;
    this.policy = policy;
    this.quorum = quorum;
    this.interval = interval;
    this.receiptInterval = receiptInterval;
    this.hubIdle = hubIdle;
    this.groups = new RegionalGroups(hubs, member.getMap(SealedGroup.MAP_NAME), owned, events, sink);
  }

  /** Membership changed or partitions moved: re-index once the cluster is safe again. */
  public void reindexSoon() {
    reindexWanted = true;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> {
      // One sweep at a time: a slow sweep (many storming hubs) must not pile up behind itself.
      if (sweeping) return;
      sweeping = true;
      sweep(false).onComplete(ar -> sweeping = false);
    });
    // Receipts on a shorter clock of their own: a sweep's batch of every PUBACK of the last 500 ms is a burst of
    // operations that the hub decisions queue behind on the partition threads (PUBACK p99 at half the bench's
    // maximum: 32 ms with receipts every 500 ms, 8.5 ms every 50 ms; src/docs/design.md, "Cluster").
    receiptTimer = vertx.setPeriodic(receiptInterval.toMillis(), id -> flushReceipts());
    receipts.whenFull(() -> context.runOnContext(v -> flushReceipts()));
    return Future.succeededFuture();
  }

  private void flushReceipts() {
    if (flushingReceipts) return;
    flushingReceipts = true;
    receipts.flush(policy.get(), context).onComplete(ar -> {
      flushingReceipts = false;
      if (ar.failed() && !receiptsFailing) {
        log.warn("receipts could not be handed back to the hubs now (kept, retried): {}", ar.cause().toString());
      }
      receiptsFailing = ar.failed();
    });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    if (receiptTimer >= 0) vertx.cancelTimer(receiptTimer);
    receipts.whenFull(() -> {});
    return receipts.flush(policy.get(), context).recover(e -> Future.succeededFuture());
  }

  /**
   * Does what is due. With {@code flushOpen} every open summary period and group is emitted now: used when the
   * last member of the cluster stops, so that no count stays behind in memory.
   */
  public Future<Void> sweep(boolean flushOpen) {
    // A side without quorum raises nothing: the hub map would refuse each settle anyway, and a burst notice or a
    // group from here could contradict what the side that decides publishes (design.md, "Split brain").
    if (!quorum.present()) return Future.succeededFuture();
    long now = clock.millis();
    AlertPolicy p = policy.get();
    List<Future<?>> work = new ArrayList<>();
    work.add(receipts.flush(p, context));
    long staleBefore = System.nanoTime() - interval.toNanos() * REFRESH_AFTER_SWEEPS;
    OwnedPartitions mine = owned.member().ownership(); // asked of every sealed hub: see OwnedPartitions
    for (Map.Entry<String, HubAttention> e : owned.attention().entrySet()) {
      String hub = e.getKey();
      HubAttention a = e.getValue();
      boolean stale = a.notedAtNanos() < staleBefore;
      boolean settle = a.settling() && (flushOpen || a.settleAt() <= now);
      boolean announce = stale || a.eventsWaiting() && !owned.announced(hub);
      // Ownership is asked last: it hashes the hub id, and most hubs here (forwarded alerts waiting for their
      // receipt) need nothing from a sweep.
      if (!settle && !announce && a.sealedInto().isEmpty() || !mine.owns(hub)) continue;
      if (stale) {
        work.add(hubs.announce(hub, p, context));
        continue;
      }
      if (settle) work.add(hubs.settle(hub, now, p, flushOpen, context));
      if (announce) work.add(hubs.announce(hub, p, context));
      a.sealedInto().forEach((groupId, creator) -> {
        if (!mine.isMember(creator)) work.add(groups.unsealOrphan(hub, groupId, creator, p, context));
      });
    }
    List<RegionalEvent> ended = new ArrayList<>();
    owned.regional().settle(now, p, ended);
    ended.forEach(sink::regionalNotice);
    if (owned.member().partitionsChanged()) owned.forgetAnnouncementsNotOwned();
    Future<Void> all = Future.join(work)
        .transform(ar -> {
          if (ar.failed()) log.warn("sweep: some hubs could not be settled now (retried next sweep): {}", ar.cause().toString());
          return groups.closeDue(now, p, flushOpen, context);
        })
        .compose(v -> groups.recover(p, context))
        .recover(e -> {
          log.warn("sweep: {}", e.toString());
          return Future.succeededFuture();
        });
    // Scans of every partition run beside the sweeps, one at a time, never in their way: a scan blocks until every
    // partition answered, and one caught by a member cut off waits for as long as Hazelcast retries, which must not
    // stop this member from settling its hubs meanwhile.
    if (!scanning && reindexWanted && owned.member().oldest()) {
      scanning = true;
      all.compose(v -> reindex(p)).onComplete(ar -> scanning = false);
    } else if (!scanning && !flushOpen && idleSweepDue(now)) {
      scanning = true;
      all.compose(v -> forgetIdle(now)).onComplete(ar -> scanning = false);
    }
    return all;
  }

  /**
   * Idle expiry is the owners' (not Hazelcast's {@code max-idle-seconds}, whose per-entry metadata costs 64 bytes a
   * hub): a scan of every partition, started by the oldest member, every tenth of the idle period but at most every
   * ten minutes (at least one sweep interval apart). A hub is forgotten at most that long after its idle period.
   */
  private boolean idleSweepDue(long now) {
    if (hubIdle.isZero() || !owned.member().oldest()) return false;
    long every = Math.max(interval.toMillis(), Math.min(hubIdle.toMillis() / 10, IDLE_SWEEP_AT_MOST_EVERY));
    if (lastIdleSweep != Long.MIN_VALUE && now - lastIdleSweep < every) return false;
    lastIdleSweep = now;
    return true;
  }

  private static final long IDLE_SWEEP_AT_MOST_EVERY = Duration.ofMinutes(10).toMillis();

  /** Forgets the hubs with no alert for the idle period and nothing held; blocking, so on a worker. */
  private Future<Void> forgetIdle(long now) {
    long before = now - hubIdle.toMillis();
    return vertx.executeBlocking(() -> {
      hubs.forgetIdle(before);
      return null;
    }, false).recover(e -> {
      log.warn("idle expiry failed (retried next time): {}", e.toString());
      lastIdleSweep = Long.MIN_VALUE;
      return Future.succeededFuture();
    }).mapEmpty();
  }

  /**
   * For the last member's final flush: indexes every hub that needs its owner, also those that reached this member
   * by migration since the last re-index (members leaving one after another leave it no time for one).
   */
  public Future<Void> reindexNow() {
    return vertx.executeBlocking(() -> hubs.reindex(policy.get()), false)
        .onSuccess(n -> log.info("last member: {} hubs to flush", n))
        .recover(e -> {
          log.warn("last member: re-index failed, flushing the hubs known so far: {}", e.toString());
          return Future.succeededFuture();
        }).mapEmpty();
  }

  private Future<Void> reindex(AlertPolicy p) {
    return vertx.executeBlocking(() -> {
      if (!member.getPartitionService().isClusterSafe()) return -1; // migrations still running: next sweep
      reindexWanted = false;
      return hubs.reindex(p);
    }, false).onSuccess(n -> {
      if (n >= 0) log.info("re-indexed after a membership change: {} hubs need their owners", n);
    }).recover(e -> {
      log.warn("re-index failed (retried next sweep): {}", e.toString());
      reindexWanted = true;
      return Future.succeededFuture();
    }).mapEmpty();
  }
}
