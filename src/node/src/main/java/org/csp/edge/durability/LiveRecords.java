package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of the segments a compaction folds, in the order written, and which of them are live: the newest image
 * of its slot, or a change after it (or after the slot's removal, or with no image among these segments). A removal
 * is not live: it ends what came before it. Kept in arrays (position, length, slot number, kind), one entry a record,
 * so that indexing a segment of 100,000s of records makes objects per slot, not per record.
 */
final class LiveRecords {
  private static final int INITIAL = 4096;
  private static final byte IMAGE = 0;
  private static final byte CHANGE = 1;
  /** An image's removal: it ends the slot's earlier records. */
  private static final byte REMOVAL = 2;
  /** A change's removal: ignored, as a restart ignores it. */
  private static final byte IGNORED = 3;
  /** Position: the segment's number (among those indexed) above these bits, its offset below. */
  private static final int OFFSET_BITS = 40;
  private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

  private final SlotNumbers slots = new SlotNumbers();
  /** By slot number: the position of its newest image or removal, or -1. */
  private long[] newestAt = none(new long[INITIAL], 0);
  private long[] positions = new long[INITIAL];
  private int[] lengths = new int[INITIAL];
  private int[] slotOf = new int[INITIAL];
  private byte[] kinds = new byte[INITIAL];
  private int count;
  /** By segment number: its first record's index; the next segment's is its end. */
  private int[] segmentStarts = new int[1];
  private final Map<Integer, Integer> unknownFamilies = new TreeMap<>();

  /** Reads and checks segment number {@code segment} (the next one), recording each whole record. */
  void index(SegmentRecords reader, Path file, int segment) throws IOException {
    if (segmentStarts.length < segment + 2) segmentStarts = Arrays.copyOf(segmentStarts, segment + 2);
    segmentStarts[segment] = count;
    reader.read(file, new SegmentRecords.Visitor() {
      @Override
      public void record(ByteBuffer in, int start, int end, long offset) {
        boolean change = JournalRecord.changeAt(in, start);
        byte kind = JournalRecord.removalAt(in, start) ? (change ? IGNORED : REMOVAL) : change ? CHANGE : IMAGE;
        add(slots.numberOf(in, start), (long) segment << OFFSET_BITS | offset, end - start, kind);
      }

      @Override
      public void unknownFamily(int code) {
        LiveRecords.this.unknownFamily(code);
      }
    });
    segmentStarts[segment + 1] = count;
  }

  private void add(int number, long position, int length, byte kind) {
    if (count == positions.length) {
      int n = count * 2;
      positions = Arrays.copyOf(positions, n);
      lengths = Arrays.copyOf(lengths, n);
      slotOf = Arrays.copyOf(slotOf, n);
      kinds = Arrays.copyOf(kinds, n);
    }
    // Slots come numbered in order: a new one is at most the next past the end.
    if (number == newestAt.length) newestAt = none(Arrays.copyOf(newestAt, number * 2), number);
    if (kind == IMAGE || kind == REMOVAL) newestAt[number] = position;
    positions[count] = position;
    lengths[count] = length;
    slotOf[count] = number;
    kinds[count] = kind;
    count++;
  }

  /** {@code newestAt} with no newest record for the slots from {@code from} on. */
  private static long[] none(long[] newestAt, int from) {
    Arrays.fill(newestAt, from, newestAt.length, -1);
    return newestAt;
  }

  /**
   * Whether the newer segments hold an image or a removal of the slot of the whole record at {@code start} of
   * {@code in}: the record, and the slot's other earlier ones, are stale.
   */
  boolean ended(ByteBuffer in, int start) {
    int number = slots.numberIfMet(in, start);
    return number >= 0 && newestAt[number] >= 0;
  }

  int first(int segment) {
    return segmentStarts[segment];
  }

  int end(int segment) {
    return segmentStarts[segment + 1];
  }

  /** Once every segment is indexed: whether {@code record} is live. */
  boolean live(int record) {
    long newest = newestAt[slotOf[record]];
    return switch (kinds[record]) {
      case IMAGE -> positions[record] == newest;
      case CHANGE -> positions[record] > newest;
      default -> false;
    };
  }

  long offset(int record) {
    return positions[record] & OFFSET_MASK;
  }

  int length(int record) {
    return lengths[record];
  }

  void unknownFamily(int code) {
    unknownFamilies.merge(code, 1, Integer::sum);
  }

  Map<Integer, Integer> unknownFamilies() {
    return unknownFamilies;
  }
}
