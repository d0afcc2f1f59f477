package org.csp.edge.rollup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.csp.edge.accounting.OutcomeListener;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.decision.Verdict;

/**
 * This member's rollups since it started: cells counted on the intake threads as verdicts come back (no round
 * trip), and {@link #flush} turning them into cumulative batches (one per live hour and per day) for the shared map
 * and the store. An hour's cells stay live until {@code grace} after its end, then are folded into their day.
 */
public final class AlertRollups implements OutcomeListener {
  /** The code and DMC of an input that could not be read as an alert. */
  public static final String UNKNOWN = "unknown";
  /** Past the cap of cells, further DMCs of an hour count under this one: hostile input cannot grow memory. */
  public static final Dmc OTHER_DMC = new Dmc("other", "other", "other");
  /** Past the cap, a code without a cell of its own counts under this one too (codes come from devices). */
  public static final String OTHER_CODE = NodeStats.OTHER_CODES;
  /** Codes with a top of their own an hour (two frequent-items sketches each), as many as the metrics name. */
  static final int MAX_TOP_CODES = NodeStats.MAX_CODES_TRACKED;

  private final String source;
  private final Sketches sketches;
  private final LongSupplier clock;
  private final int maxCells;
  private final long grace;
  /**
   * Cells per intake thread: an event loop never waits for another's lock (in a storm every alert hits the same few
   * cells and the same code's top). The flush merges the shards; a cell's lock is only ever contended by the flush.
   */
  private static final class Shard {
    final Map<CellKey, Cell> cells = new ConcurrentHashMap<>();
    final Map<CellKey, CodeTop> tops = new ConcurrentHashMap<>();
  }

  private final List<Shard> shards = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ThreadLocal<Shard> shard = ThreadLocal.withInitial(() -> {
    Shard s = new Shard();
    shards.add(s);
    return s;
  });
  private final AtomicInteger cellCount = new AtomicInteger();
  private final AtomicInteger topCount = new AtomicInteger();
  /** Days' cells folded from hours no longer live, as merged rows (touched by the flush only). */
  private final Map<Long, Merged<CellKey>> folded = new TreeMap<>();
  private long seq;

  /**
   * @param source this member boot's name in the store (node id and boot id): a restart writes new rows
   * @param grace how long after its end an hour stays live (late verdicts of alerts received in it)
   */
  public AlertRollups(String source, Sketches sketches, LongSupplier clock, int maxCells, java.time.Duration grace) {
    this.source = source;
    this.sketches = sketches;
    this.clock = clock;
    this.maxCells = maxCells;
    this.grace = grace.toMillis();
  }

  public String source() {
    return source;
  }

  @Override
  public void decided(Alert alert, Verdict verdict) {
    add(alert, Outcomes.of(verdict));
  }

  @Override
  public void rejected(Alert alert, RejectReason reason) {
    if (alert != null) {
      add(alert, Outcomes.of(reason));
    } else {
      rejectedUnread(reason, 1);
    }
  }

  /** One cell lookup for a whole message refused unread, however many alerts it held (an overload refuses many). */
  @Override
  public void rejectedUnread(RejectReason reason, int alerts) {
    cell(new CellKey(Period.HOUR.startOf(clock.getAsLong()), UNKNOWN, null, Outcomes.of(reason))).addUnread(alerts);
  }

  /** On the hub's owner: {@code a}'s device storms by itself on its code ({@link Outcomes#STORMING_DEVICES}). */
  public void deviceStorming(Alert a) {
    long hour = Period.HOUR.startOf(clock.getAsLong());
    cell(shard.get(), new CellKey(hour, a.alertCode(), a.dmc(), Outcomes.STORMING_DEVICES)).mark(a.hubId(), a.deviceId());
  }

  private void add(Alert a, String outcome) {
    long hour = Period.HOUR.startOf(clock.getAsLong());
    Shard s = shard.get();
    cell(s, new CellKey(hour, a.alertCode(), a.dmc(), outcome)).add(a.hubId(), a.deviceId());
    CellKey topKey = new CellKey(hour, a.alertCode(), null, "");
    CodeTop top = s.tops.get(topKey);
    if (top == null) {
      if (topCount.get() >= MAX_TOP_CODES) topKey = new CellKey(hour, OTHER_CODE, null, "");
      top = s.tops.computeIfAbsent(topKey, k -> {
        topCount.incrementAndGet();
        return new CodeTop(sketches);
      });
    }
    top.add(a.hubId(), a.deviceId());
  }

  private Cell cell(CellKey key) {
    return cell(shard.get(), key);
  }

  private Cell cell(Shard s, CellKey key) {
    Map<CellKey, Cell> cells = s.cells;
    Cell c = cells.get(key);
    if (c != null) return c;
    if (cellCount.get() >= maxCells) {
      // Past the cap: the code's cell of other models if it has one, else other code and models. Either way only
      // existing cells or one per outcome are added, whatever mix of codes and models the devices send.
      c = cells.get(new CellKey(key.hour(), key.alertCode(), OTHER_DMC, key.outcome()));
      if (c != null) return c;
      key = other(key.hour(), key.outcome());
      c = cells.get(key);
      if (c != null) return c;
    }
    return cells.computeIfAbsent(key, k -> {
      cellCount.incrementAndGet();
      return new Cell(sketches);
    });
  }

  private static CellKey other(long hour, String outcome) {
    return new CellKey(hour, OTHER_CODE, OTHER_DMC, outcome);
  }

  /**
   * An hour no longer live added to its day, the day bounded as the hour is: a key the day lacks, once it holds
   * {@code maxCells}, counts under other code and models (a day would otherwise hold up to 24 hours' different keys).
   */
  private void fold(Merged<CellKey> day, Merged<CellKey> hour) {
    hour.cells().forEach((k, acc) -> {
      CellKey into = day.cells().containsKey(k) || day.cells().size() < maxCells ? k : other(0, k.outcome());
      day.acc(into).add(acc);
    });
    hour.tops().forEach((k, top) -> day.addTop(k, top));
  }

  /**
   * The batches to share and store now: every live hour, and every day with live hours or folded ones, each with
   * this flush's sequence number. Hours past their grace are folded into their day afterwards; days past their
   * grace are dropped once written here. Called by one thread at a time (the flusher). The live sketches are merged
   * as they are and each merge is serialized once, into its batch: every cell is serialized twice a flush (its hour,
   * its day) whatever the number of intake threads and live hours.
   */
  public synchronized List<RollupBatch> flush() {
    long now = clock.getAsLong();
    long s = ++seq;
    Map<Long, Merged<CellKey>> hours = new TreeMap<>();
    for (Shard sh : shards) {
      sh.cells.forEach((k, c) -> c.addTo(hours.computeIfAbsent(k.hour(), h -> new Merged<>(sketches))
          .acc(new CellKey(0, k.alertCode(), k.dmc(), k.outcome()))));
      sh.tops.forEach((k, t) -> t.addTo(hours.computeIfAbsent(k.hour(), h -> new Merged<>(sketches)), k.alertCode()));
    }
    List<RollupBatch> out = new ArrayList<>();
    TreeSet<Long> days = new TreeSet<>(folded.keySet());
    hours.forEach((hour, m) -> {
      out.add(new RollupBatch(source, s, Period.HOUR, hour, Merged.rowsOf(m), Merged.topRowsOf(m)));
      days.add(Period.DAY.startOf(hour));
    });
    for (long day : days) {
      Merged<CellKey> d = new Merged<>(sketches);
      Merged<CellKey> base = folded.get(day);
      if (base != null) d.addAll(base);
      hours.forEach((hour, m) -> {
        if (Period.DAY.startOf(hour) == day) d.addAll(m);
      });
      out.add(new RollupBatch(source, s, Period.DAY, day, Merged.rowsOf(d), Merged.topRowsOf(d)));
    }
    hours.forEach((hour, m) -> {
      if (hour + Period.HOUR.millis() + grace > now) return;
      fold(folded.computeIfAbsent(Period.DAY.startOf(hour), x -> new Merged<>(sketches)), m);
      for (Shard sh : shards) {
        sh.cells.keySet().removeIf(k -> {
          boolean gone = k.hour() == hour;
          if (gone) cellCount.decrementAndGet();
          return gone;
        });
        sh.tops.keySet().removeIf(k -> {
          boolean gone = k.hour() == hour;
          if (gone) topCount.decrementAndGet();
          return gone;
        });
      }
    });
    folded.keySet().removeIf(day -> day + Period.DAY.millis() + grace <= now
        && hours.keySet().stream().noneMatch(h -> Period.DAY.startOf(h) == day));
    return out;
  }
}
