package org.csp.edge.digest;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.csp.edge.history.RollupStore;
import org.csp.edge.history.RollupStore.StormNote;
import org.csp.edge.upstream.StormListener;

/**
 * The storms of the region by code and time, for the digests. Every storm-start and storm-end queued on any member
 * is noted under its event id (a repeat of the same event after a failover is the same note: counted once) in the
 * cluster map {@code csp-digest-storms}, with a time to live past the digests' look-back, and in the member's store
 * (so a restart does not lose them). A digest counts the union of both: the map has every member's, the store
 * what this member saw before a restart (with one PostgreSQL, every member's). Noted from a queue at each digest
 * check, on the store's worker: the sink that hears of a storm may run on a partition thread, which must not wait.
 */
public final class StormLedger implements StormListener {
  public static final String MAP = "csp-digest-storms";
  /** Zero-padded so that the values sort by time as strings (the map's range query). */
  private static final String VALUE = "%015d|%s|%s";

  private final ConcurrentLinkedQueue<StormNote> waiting = new ConcurrentLinkedQueue<>();
  private final IMap<String, String> map;
  private final long keepMillis;

  public StormLedger(HazelcastInstance hazelcast, long keepMillis) {
    this.map = hazelcast.getMap(MAP);
    this.keepMillis = keepMillis;
  }

  @Override
  public void storm(String eventId, String alertCode, boolean started, long at) {
    waiting.add(new StormNote(eventId, at, alertCode, started));
  }

  /** Notes what waits, in the cluster map and the store. Blocking: on the store's worker. */
  void share(RollupStore store) {
    List<StormNote> notes = new ArrayList<>();
    for (StormNote n = waiting.poll(); n != null; n = waiting.poll()) notes.add(n);
    for (StormNote n : notes) {
      map.set(n.eventId(), String.format(VALUE, n.at(), n.alertCode(), n.started() ? "1" : "0"), keepMillis,
          TimeUnit.MILLISECONDS);
    }
    store.noteStorms(notes);
  }

  /** Storms started and ended in [from, to), by alert code: {started, ended}. Blocking. */
  Map<String, long[]> count(RollupStore store, long from, long to) {
    Map<String, StormNote> notes = new HashMap<>();
    store.storms(from, to, n -> notes.put(n.eventId(), n));
    for (Map.Entry<String, String> e : map.entrySet(
        Predicates.between("this", String.format("%015d", from), String.format("%015d", to)))) {
      String[] p = e.getValue().split("\\|");
      long at = Long.parseLong(p[0]);
      if (at >= from && at < to) notes.putIfAbsent(e.getKey(), new StormNote(e.getKey(), at, p[1], p[2].equals("1")));
    }
    Map<String, long[]> out = new HashMap<>();
    for (StormNote n : notes.values()) out.computeIfAbsent(n.alertCode(), c -> new long[2])[n.started() ? 0 : 1]++;
    return out;
  }
}
