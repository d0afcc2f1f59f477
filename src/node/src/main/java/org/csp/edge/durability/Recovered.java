package org.csp.edge.durability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest record of every key, read from the journal's segments in order: a newer record replaces an older one.
 * Changes (a family that follows another) are kept in order after the newest image of their key, which a newer
 * image or a removal of that key ends.
 */
public final class Recovered {
  private final Map<JournalRecord.Slot, JournalRecord> newest = new LinkedHashMap<>();
  /** By slot of the image they follow: the changes after it, in the order they were written. */
  private final Map<JournalRecord.Slot, List<JournalRecord>> changes = new LinkedHashMap<>();
  private long cutBytes;
  private long damagedBytes;
  /** Whether the run that wrote these segments stopped cleanly ({@link Journal#closeAfterCleanStop}). */
  private boolean afterCleanStop;
  private int records;
  /** Whole records of family codes this release does not know (a newer release's), passed over: by code. */
  private final Map<Integer, Integer> unknownFamilies = new java.util.TreeMap<>();

  void add(JournalRecord r) {
    records++;
    JournalRecord.Slot slot = r.slot();
    if (r.change()) {
      if (!r.removed()) changes.computeIfAbsent(slot, s -> new ArrayList<>()).add(r);
      return;
    }
    changes.remove(slot); // an image holds every change before it; a removal ends them
    if (r.removed()) {
      newest.remove(slot);
    } else {
      newest.put(slot, r);
    }
  }

  /** A whole record of family {@code code}, which this release does not know: counted, nothing else. */
  void unknownFamily(int code) {
    unknownFamilies.merge(code, 1, Integer::sum);
  }

  void afterCleanStop() {
    afterCleanStop = true;
  }

  /**
   * Whether the run that wrote these records stopped cleanly: it owed nothing when it stopped (its events were
   * delivered or spilled, its counts sent in its last heartbeat), and kept them for its hubs' memory alone.
   */
  public boolean isAfterCleanStop() {
    return afterCleanStop;
  }

  void cut(long bytes) {
    cutBytes += bytes;
  }

  void damaged(long bytes) {
    damagedBytes += bytes;
  }

  /** Bytes between whole records that were none (damaged on disk), skipped with the records they held. */
  public long damagedBytes() {
    return damagedBytes;
  }

  /** The live images of {@code family}, by key. */
  public Map<String, byte[]> of(JournalRecord.Family family) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (JournalRecord r : newest.values()) if (r.family() == family) out.put(r.key(), r.image());
    return out;
  }

  /** The changes of {@code family} (one that follows another) after the newest image of each key, in order, by key. */
  public Map<String, List<byte[]>> changesOf(JournalRecord.Family family) {
    Map<String, List<byte[]>> out = new LinkedHashMap<>();
    for (List<JournalRecord> chain : changes.values()) {
      for (JournalRecord r : chain) {
        if (r.family() == family) out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.image());
      }
    }
    return out;
  }

  /**
   * The changes after the newest image of each key in {@code image}'s slot, of every family that follows it, in the
   * order they were written, by key: one hub's operations may be journaled in two families, replayed in their order.
   */
  public Map<String, List<JournalRecord>> changesAfter(JournalRecord.Family image) {
    Map<String, List<JournalRecord>> out = new LinkedHashMap<>();
    for (List<JournalRecord> chain : changes.values()) {
      for (JournalRecord r : chain) {
        if (r.family().follows == image) out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  /** Records read, including those a later one replaced. */
  public int records() {
    return records;
  }

  /** Bytes at the end of segments that did not make a whole record (a write cut by a crash), skipped. */
  public long cutBytes() {
    return cutBytes;
  }

  /**
   * Records passed over because a newer release wrote them in a family this one does not know, by family code: what
   * they held is not among these records.
   */
  public Map<Integer, Integer> unknownFamilies() {
    return java.util.Collections.unmodifiableMap(unknownFamilies);
  }

  public boolean isEmpty() {
    return newest.isEmpty() && changes.isEmpty();
  }
}
