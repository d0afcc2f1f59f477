package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.durability.CountsJournal;
import org.csp.edge.upstream.Heartbeats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of the accounting equation that live in no hub (duplicates, rejected by reason), held by the cluster
 * for each member's run: a member killed takes with it what it counted since its last heartbeat, and the DSP's
 * equation, which takes each run's last heartbeat, would stay short of them for good (a member that joined keeps no
 * journal, and may never start again). So a member puts its run's totals in the map {@value #MAP_NAME} (the default
 * backup) before it acknowledges a message that changed them, and the member owning the entry of a run whose member
 * is gone without a clean stop sends that run's last heartbeat from it; a clean stop removes its own entry once its
 * final heartbeat is delivered or handed over ({@link HandedOverEvents}).
 *
 * <p>One write at a time: the acknowledgements asked for meanwhile wait for the next, which carries all of them, so a
 * storm of bad input costs a write per round trip, not per message.
 */
public final class SharedBootCounts {
  public static final String MAP_NAME = "csp-boot-counts";
  private static final Logger log = LoggerFactory.getLogger(SharedBootCounts.class);
  private static final Future<Void> NOTHING_OWED = Future.succeededFuture();
  /**
   * How long an acknowledgement waits for its write. A write normally takes a round trip; one whose partition's owner
   * is cut off and not yet dropped would hold every acknowledgement that changed the counts until Hazelcast drops it
   * (a minute by default), so past this the message is acknowledged and the write carries its counts when it ends.
   */
  static final long WRITE_WAIT_MILLIS = 1_000;

  private final HazelcastInstance member;
  private final NodeStats stats;
  private final String nodeId;
  private final String bootId;
  /** The sequence of this run's last heartbeat sent. */
  private final java.util.function.LongSupplier beatSequence;
  /** Duplicates plus rejected in the last write the map took. */
  private long shared;
  /**
   * Whether this run has written its entry: a member alone writes none (no one would send its heartbeat), and once
   * written the entry is kept up to date, alone or not, so that it is never behind a heartbeat this run sent.
   */
  private boolean entryWritten;
  private boolean writing;
  private final List<Waiting> waiting = new ArrayList<>();
  /** Runs of members gone whose last heartbeat is in this member's outbox and not yet delivered. */
  private final Set<String> offered = ConcurrentHashMap.newKeySet();

  private record Waiting(long total, CompletableFuture<Void> written) {}

  public SharedBootCounts(HazelcastInstance member, NodeStats stats, String nodeId, String bootId,
      java.util.function.LongSupplier beatSequence) {
    this.member = member;
    this.beatSequence = beatSequence;
    this.stats = stats;
    this.nodeId = nodeId;
    this.bootId = bootId;
  }

  /**
   * Before a message is acknowledged: completes, on {@code context}, once the map holds this run's totals as they are
   * now (at least), or after {@link #WRITE_WAIT_MILLIS} at most. Fails if the map refused them: the message is then
   * not acknowledged.
   */
  public Future<Void> beforeAcknowledge(Context context) {
    long total = total();
    CompletableFuture<Void> written = new CompletableFuture<>();
    synchronized (this) {
      if (total <= shared) return NOTHING_OWED;
      if (!entryWritten && member.getCluster().getMembers().size() == 1) return NOTHING_OWED;
      waiting.add(new Waiting(total, written));
      if (!writing) writeNext();
    }
    return Future.fromCompletionStage(written.completeOnTimeout(null, WRITE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS), context);
  }

  /** Under the lock: one write of the totals as they are now, then the next if more wait. */
  private void writeNext() {
    writing = true;
    CountsJournal.BootCounts counts = CountsJournal.BootCounts.of(nodeId, stats);
    long total = counts.duplicates() + counts.rejected();
    long beat = beatSequence.getAsLong(); // after the counts: the heartbeat after it carries at least these
    JsonObject value = counts.toJson().put("nodeId", nodeId)
        .put("member", member.getCluster().getLocalMember().getUuid().toString()).put("nextHeartbeat", beat + 1);
    map().setAsync(bootId, value.encode()).whenComplete((v, failure) -> {
      List<Waiting> done = new ArrayList<>();
      synchronized (this) {
        writing = false;
        if (failure == null) {
          shared = Math.max(shared, total);
          entryWritten = true;
        }
        for (Waiting w : waiting) {
          if (failure != null || w.total() <= total) done.add(w);
        }
        waiting.removeAll(done);
        if (!waiting.isEmpty()) writeNext();
      }
      for (Waiting w : done) {
        if (failure == null) w.written().complete(null);
        else w.written().completeExceptionally(failure);
      }
      if (failure != null) log.warn("the cluster did not take this run's counts ({}); those messages are not acknowledged", failure.toString());
    });
  }

  private long total() {
    return stats.duplicates.sum() + stats.rejectedTotal();
  }

  /**
   * Sends the last heartbeat of each run, in the entries this member owns, whose member is no longer in the cluster;
   * each entry leaves the map once its heartbeat is delivered. Blocking: call it from a worker.
   */
  public int sendForMembersGone(Heartbeats heartbeats) {
    Set<String> present = member.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
    IMap<String, String> map = map();
    int sent = 0;
    for (String boot : map.localKeySet()) {
      if (boot.equals(bootId) || offered.contains(boot)) continue;
      String line = map.get(boot);
      JsonObject run;
      try {
        run = line == null ? null : new JsonObject(line);
      } catch (RuntimeException notJson) {
        log.warn("the counts of run {} do not read ({}); dropped", boot, notJson.toString());
        map.delete(boot);
        continue;
      }
      if (run == null || present.contains(run.getString("member", ""))) continue;
      offered.add(boot);
      CountsJournal.BootCounts counts = CountsJournal.BootCounts.fromJson(run);
      String ofNode = counts.nodeIdOr("?");
      JsonObject totals = counts.toJson();
      log.warn("node {} (run {}) left the cluster without a clean stop: its last heartbeat is sent from what it counted"
          + " before each acknowledgement (duplicates {}, rejected {})", ofNode, boot, totals.getLong("duplicates"),
          totals.getLong("rejected"));
      // The heartbeat that run would have sent next: if it sent it after this write, the DSP takes that one (same id,
      // totals at least these); if the member comes back (a healed split), its next ones follow.
      heartbeats.recovered(ofNode, boot, totals, run.getLong("nextHeartbeat", (long) Heartbeats.RECOVERED_SEQUENCE),
          () -> map.removeAsync(boot).whenComplete((v, e) -> offered.remove(boot)));
      sent++;
    }
    return sent;
  }

  /** At a clean stop, once this run's final heartbeat is delivered or handed over: no one sends it for this run. */
  public void forget() {
    map().delete(bootId);
  }

  private IMap<String, String> map() {
    return member.getMap(MAP_NAME);
  }
}
