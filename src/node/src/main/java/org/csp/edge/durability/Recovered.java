package org.csp.edge.durability;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The newest record of every key, read from the journal's segments in order: a newer record replaces an older one. */
public final class Recovered {
  private final Map<String, JournalRecord> newest = new LinkedHashMap<>();
  private long cutBytes;
  private int records;

  void add(JournalRecord r) {
    records++;
    if (r.removed()) newest.remove(r.slot());
    else newest.put(r.slot(), r);
  }

  void cut(long bytes) {
    cutBytes += bytes;
  }

  /** The live images of {@code family}, by key. */
  public Map<String, byte[]> of(JournalRecord.Family family) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (JournalRecord r : newest.values()) if (r.family() == family) out.put(r.key(), r.image());
    return out;
  }

  Collection<JournalRecord> live() {
    return newest.values();
  }

  /** Records read, including those a later one replaced. */
  public int records() {
    return records;
  }

  /** Bytes at the end of segments that did not make a whole record (a write cut by a crash), skipped. */
  public long cutBytes() {
    return cutBytes;
  }

  public boolean isEmpty() {
    return newest.isEmpty();
  }
}
