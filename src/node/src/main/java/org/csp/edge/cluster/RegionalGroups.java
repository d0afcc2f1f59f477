package org.csp.edge.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.alert.Eui64;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the open group shares of the hubs this member owns into group events, so that no count is lost or
 * counted twice when members die: (1) SEAL each hub's share into a new group id (idempotent, in the hub's state),
 * (2) record the event in the replicated map of seals, (3) publish it, (4) after the PUBACK, RELEASE the shares
 * and delete the record. If the member dies after (2), the record's owner publishes the same bytes again (the DSP
 * drops the repeat) and finishes (4); if it dies before (2), nothing was published, and each hub's owner UNSEALs
 * its share into the open one, to be grouped again. Runs on the sweeper's context.
 */
final class RegionalGroups {
  private static final Logger log = LoggerFactory.getLogger(RegionalGroups.class);

  private final HubStateStore hubs;
  private final IMap<String, SealedGroup> seals;
  private final OwnedHubs owned;
  private final EventFactory events;
  private final EventSink sink;
  /** Codes being sealed now: a sweep does not start a second group for a code while one is being sealed. */
  private final Set<String> sealing = new HashSet<>();
  /** Groups this member is sealing, publishing or releasing now. */
  private final Set<String> inHand = ConcurrentHashMap.newKeySet();
  /**
   * Groups of this member let go on a failure (their seal, record or release failed), with the hubs asked: settled
   * by {@link #recover} from what the record says. Kept here, not found through the hubs, because a hub may have
   * moved to a member that cannot tell a live creator's group in hand from one let go. Without it such a seal stayed
   * for ever (groupsBeingDelivered never 0, the node never settled).
   */
  private final Map<String, LetGo> letGo = new ConcurrentHashMap<>();

  private record LetGo(String alertCode, Set<String> hubIds) {}

  RegionalGroups(HubStateStore hubs, IMap<String, SealedGroup> seals, OwnedHubs owned, EventFactory events,
      EventSink sink) {
    this.hubs = hubs;
    this.seals = seals;
    this.owned = owned;
    this.events = events;
    this.sink = sink;
  }

  /** Seals the groups whose wait is over (or that are full); with {@code all}, every open share now. */
  Future<Void> closeDue(long now, AlertPolicy policy, boolean all, Context context) {
    return closeDue(now, policy, all, owned.member().ownership(), context);
  }

  /**
   * As above, ownership as {@code mine} says. A code's open shares are first only counted (how many, the oldest),
   * and listed only when the code is due: during a burst most sweeps find a code not due, and listing every hub's
   * id as text for each was the sweep's cost (src/bench/results/2026-12-06-regional-profile.md).
   */
  private Future<Void> closeDue(long now, AlertPolicy policy, boolean all, OwnedPartitions mine, Context context) {
    Map<String, List<Map.Entry<String, Long>>> others = new HashMap<>(); // hubs whose id is no EUI-64, by code
    owned.attention().forEach((hub, a) -> {
      if (a.openShares().isEmpty() || !mine.owns(hub)) return;
      a.openShares().forEach((code, share) -> others.computeIfAbsent(code, c -> new ArrayList<>()).add(Map.entry(hub, share.firstAt())));
    });
    GroupingHubs grouping = owned.grouping(); // the open shares of hubs with an EUI-64 id, by code
    Set<String> codes = new HashSet<>(others.keySet());
    codes.addAll(grouping.codes());
    int maxHubs = events.hubsPerGroup(policy.maxHubsPerGroup()); // so that one group fits upstream.maxMessageBytes
    List<Future<Void>> work = new ArrayList<>();
    for (String code : codes) {
      if (sealing.contains(code)) continue;
      List<Map.Entry<String, Long>> otherHubs = others.getOrDefault(code, List.of());
      long[] oldestAndCount = {Long.MAX_VALUE, otherHubs.size()};
      for (Map.Entry<String, Long> e : otherHubs) oldestAndCount[0] = Math.min(oldestAndCount[0], e.getValue());
      grouping.forEach(code, (hub, firstAt, count) -> {
        if (!mine.owns(hub)) return;
        oldestAndCount[0] = Math.min(oldestAndCount[0], firstAt);
        oldestAndCount[1]++;
      });
      if (oldestAndCount[1] == 0) continue;
      boolean waited = all || oldestAndCount[0] + policy.forCode(code).groupWait().toMillis() <= now;
      if (!waited && oldestAndCount[1] < maxHubs) continue;
      List<String> oldest = oldestFirst(otherHubs, grouping, code, mine, maxHubs);
      // Due for being full, not for its wait: full groups only; the newest rest waits to fill, groupWait at most.
      List<String> open = waited ? oldest : oldest.subList(0, oldest.size() - oldest.size() % maxHubs);
      sealing.add(code);
      List<List<String>> chunks = new ArrayList<>();
      for (int from = 0; from < open.size(); from += maxHubs) chunks.add(open.subList(from, Math.min(open.size(), from + maxHubs)));
      Future<Void> chain = sealAll(code, chunks, now, policy, context);
      work.add(chain.onComplete(ar -> sealing.remove(code)));
    }
    return Future.join(work).mapEmpty();
  }

  /**
   * The code's open shares owned here, oldest first (the others' first, then the tables', as they come for equal
   * times): each group takes the oldest {@code maxHubs}. Sorted only when there is more than one group to make.
   */
  private static List<String> oldestFirst(List<Map.Entry<String, Long>> otherHubs, GroupingHubs grouping, String code,
      OwnedPartitions mine, int maxHubs) {
    int n = otherHubs.size();
    // {hub bits, first time} by position: the others' first (their bits unused), then the tables' hubs.
    long[][] hubs = {new long[Math.max(16, n)], new long[Math.max(16, n)]};
    int[] size = {0};
    for (Map.Entry<String, Long> e : otherHubs) hubs[1][size[0]++] = e.getValue();
    grouping.forEach(code, (hub, firstAt, count) -> {
      if (!mine.owns(hub)) return;
      if (size[0] == hubs[0].length) {
        hubs[0] = java.util.Arrays.copyOf(hubs[0], size[0] * 2);
        hubs[1] = java.util.Arrays.copyOf(hubs[1], size[0] * 2);
      }
      hubs[0][size[0]] = hub;
      hubs[1][size[0]++] = firstAt;
    });
    int total = size[0];
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) order[i] = i;
    long[] firstAts = hubs[1];
    if (total > maxHubs) java.util.Arrays.sort(order, Comparator.comparingLong(i -> firstAts[i])); // stable
    List<String> out = new ArrayList<>(total);
    for (Integer i : order) out.add(i < n ? otherHubs.get(i).getKey() : Eui64.text(hubs[0][i]));
    return out;
  }

  /** A group whose hubs' shares are sealed into it: not yet recorded or published. */
  private record Sealed(String groupId, Set<String> hubIds, Map<String, GroupShare> shares) {}

  /**
   * Seals each chunk into a group, then records and publishes them as the parts of one period: the period runs from
   * the oldest share sealed to the latest alert in any, and not before the sweep's time, so every part has the same
   * one and two sweeps never share one, even when their alerts came in the same millisecond. Counted once sealed, so a
   * chunk whose shares all went into another group first is no part.
   */
  private Future<Void> sealAll(String code, List<List<String>> chunks, long now, AlertPolicy policy, Context context) {
    List<Sealed> sealed = new ArrayList<>(chunks.size());
    Future<Void> chain = Future.succeededFuture();
    for (List<String> chunk : chunks) {
      chain = chain.compose(v -> seal(code, chunk, policy, context).map(s -> {
        if (s != null) sealed.add(s);
        return null;
      }));
    }
    return chain.compose(v -> {
      long first = Long.MAX_VALUE;
      long last = 0;
      for (Sealed s : sealed) {
        for (GroupShare share : s.shares().values()) {
          first = Math.min(first, share.firstAt());
          last = Math.max(last, share.lastAt());
        }
      }
      long periodEnd = Math.max(last, now);
      List<Future<Void>> recorded = new ArrayList<>(sealed.size());
      int parts = sealed.size() > 1 ? sealed.size() : 0;
      for (int k = 0; k < sealed.size(); k++) {
        recorded.add(record(code, sealed.get(k), group(sealed.get(k), code, first, periodEnd, k + 1, parts), policy, context));
      }
      return Future.join(recorded).mapEmpty();
    });
  }

  /**
   * The group is in hand from before its SEAL until its RELEASE is done. A failure on the way lets it go: its hubs'
   * seals, if any, are then settled by {@link #recover} from what the record says, not guessed here (a record whose
   * write failed for want of a backup's answer may still have been written). Null when nothing was sealed.
   */
  private Future<Sealed> seal(String code, List<String> hubIds, AlertPolicy policy, Context context) {
    String groupId = events.nextGroupId();
    String creator = owned.member().memberId();
    Set<String> hubSet = Set.copyOf(hubIds);
    inHand.add(groupId);
    return hubs.shareStep(hubSet, ShareStepOperation.Step.SEAL, code, groupId, creator, policy, context)
        .map(shares -> {
          shares.values().removeIf(s -> s == null);
          if (shares.isEmpty()) { // their shares went into another group first
            inHand.remove(groupId);
            return null;
          }
          return new Sealed(groupId, hubSet, shares);
        })
        .recover(e -> {
          letGo(code, groupId, hubSet, e);
          return Future.succeededFuture();
        });
  }

  private Future<Void> record(String code, Sealed sealed, RegionalEvent.Group group, AlertPolicy policy, Context context) {
    String creator = owned.member().memberId();
    SealedGroup record = SealedGroup.of(events.regional(group), creator, code, List.copyOf(sealed.shares().keySet()));
    return Future.fromCompletionStage(seals.setAsync(sealed.groupId(), record), context)
        .onSuccess(v -> {
          HubJournal journal = owned.journal();
          if (journal != null) journal.groupRecorded(record); // before it is published: see the class comment
          publish(record, policy, context);
        })
        .recover(e -> {
          letGo(code, sealed.groupId(), sealed.hubIds(), e);
          return Future.succeededFuture();
        });
  }

  private void letGo(String code, String groupId, Set<String> hubIds, Throwable e) {
    letGo.put(groupId, new LetGo(code, hubIds));
    inHand.remove(groupId);
    log.warn("could not seal and record a group of {} for {} hubs ({}); its hubs' seals are settled by the next"
        + " sweeps", code, hubIds.size(), e.toString());
  }

  /** {@code part} of {@code parts} (0 of 0: the sweep's only group). */
  private RegionalEvent.Group group(Sealed sealed, String code, long first, long periodEnd, int part, int parts) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    int total = 0;
    for (Map.Entry<String, GroupShare> e : new java.util.TreeMap<>(sealed.shares()).entrySet()) {
      counts.put(e.getKey(), e.getValue().count());
      total += e.getValue().count();
    }
    long startedAt = owned.regional().startedAt(code, first);
    return new RegionalEvent.Group(sealed.groupId(), code, startedAt, first, periodEnd, counts, total, part, parts);
  }

  private void publish(SealedGroup record, AlertPolicy policy, Context context) {
    inHand.add(record.groupId());
    sink.group(record.event(), () -> context.runOnContext(v -> release(record, policy, context)));
  }

  private void release(SealedGroup record, AlertPolicy policy, Context context) {
    hubs.shareStep(Set.copyOf(record.hubIds()), ShareStepOperation.Step.RELEASE, record.alertCode(), record.groupId(),
            record.creator(), policy, context)
        .compose(v -> Future.fromCompletionStage(seals.removeAsync(record.groupId()), context))
        .onSuccess(v -> {
          HubJournal journal = owned.journal();
          if (journal != null) journal.groupDeleted(record.groupId());
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            letGo.put(record.groupId(), new LetGo(record.alertCode(), Set.copyOf(record.hubIds())));
            log.warn("group {} delivered but not yet released ({}); retried", record.groupId(), ar.cause().toString());
          }
          inHand.remove(record.groupId());
        });
  }

  /**
   * Groups recorded by a member that is gone: the member owning the record publishes it again and finishes it. Also
   * groups of this member whose release failed. Records are few (groups in flight), so reading them is cheap.
   */
  Future<Void> recover(AlertPolicy policy, Context context) {
    List<Future<Void>> work = new ArrayList<>();
    letGo.forEach((groupId, group) -> {
      if (!inHand.contains(groupId)) work.add(settleLetGo(groupId, group, policy, context));
    });
    for (String groupId : seals.localKeySet()) {
      if (inHand.contains(groupId)) continue;
      work.add(Future.fromCompletionStage(seals.getAsync(groupId), context).map(record -> {
        if (record != null && !inHand.contains(groupId) && (!owned.member().isMember(record.creator()) || record.creator().equals(owned.member().memberId()))) {
          log.info("publishing group {} again: its member {} left before it was delivered", groupId, record.creator());
          publish(record, policy, context);
        }
        return null;
      }));
    }
    return Future.join(work).mapEmpty();
  }

  /**
   * A group let go: no record, so nothing was published, and every share sealed into it goes back into its hub's open
   * one (UNSEAL of a hub not sealed into it changes nothing); a record, so it is published again (the same bytes: a
   * repeat the DSP drops) and released.
   */
  private Future<Void> settleLetGo(String groupId, LetGo group, AlertPolicy policy, Context context) {
    inHand.add(groupId);
    return Future.fromCompletionStage(seals.getAsync(groupId), context).compose(record -> {
      if (record == null) {
        return hubs.shareStep(group.hubIds(), ShareStepOperation.Step.UNSEAL, group.alertCode(), groupId,
            owned.member().memberId(), policy, context).map(v -> {
              letGo.remove(groupId);
              inHand.remove(groupId);
              return null;
            });
      }
      log.info("publishing group {} again: its release did not finish", groupId);
      letGo.remove(groupId);
      publish(record, policy, context);
      return Future.<Void>succeededFuture();
    }).onFailure(e -> inHand.remove(groupId)).mapEmpty();
  }

  /** A share sealed by a member that died before recording its group: back into the hub's open share. */
  Future<Void> unsealOrphan(String hubId, String groupId, String creator, AlertPolicy policy, Context context) {
    return Future.fromCompletionStage(seals.getAsync(groupId), context).compose(record -> record != null
        ? Future.succeededFuture()
        : hubs.shareStep(Set.of(hubId), ShareStepOperation.Step.UNSEAL, null, groupId, creator, policy, context).mapEmpty());
  }
}
