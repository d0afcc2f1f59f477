package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Folds closed segments into the last of them: the newest image of each live key and the changes after it, copied
 * byte for byte. The newer segments are read once, checked and indexed ({@link LiveRecords}: each record's position,
 * length and slot, in arrays); the live ones are then copied by position, in the order they were written (a slot's
 * image before its changes), with no second check and no object per record. No record is decoded and no image
 * copied into the heap, so that a compaction during a storm leaves the young collections little to copy.
 *
 * <p>One at a time, on the journal's background thread (its buffers are reused).
 */
final class Compaction {
  private static final int BUFFER_BYTES = 1024 * 1024;

  private final SegmentRecords reader = new SegmentRecords();
  // Records gathered into one buffer and written a buffer at a time: a write per record was most of the cost.
  private final ByteBuffer batch = ByteBuffer.allocateDirect(BUFFER_BYTES);
  /** The part of a newer segment the live records are copied from, read a buffer at a time. */
  private ByteBuffer window = ByteBuffer.allocateDirect(BUFFER_BYTES);

  /**
   * Folds {@code segments} of {@code dir} into the last of them, written aside, forced, and renamed over it before
   * the others are deleted: a crash at any point leaves segments that read back to the same newest records. When
   * {@code firstIsCompacted}, the first is an earlier compaction's output (live records only): its records are copied
   * as they are, less those the newer segments make stale, without being indexed. Records of a family this release
   * does not know (a newer release's) are dropped: whether one is an image or a change, and of which slot, is not
   * known here. Returns those dropped, by family code.
   */
  Map<Integer, Integer> fold(Path dir, List<Long> segments, boolean firstIsCompacted) throws IOException {
    List<Long> newer = firstIsCompacted ? segments.subList(1, segments.size()) : segments;
    LiveRecords live = new LiveRecords();
    for (int i = 0; i < newer.size(); i++) live.index(reader, Segments.file(dir, newer.get(i)), i);
    long last = segments.get(segments.size() - 1);
    Path target = Segments.file(dir, last);
    Path aside = target.resolveSibling(target.getFileName() + Segments.COMPACTING_SUFFIX);
    try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      batch.clear();
      if (firstIsCompacted) copyNotEnded(Segments.file(dir, segments.get(0)), live, out);
      for (int i = 0; i < newer.size(); i++) copyLive(Segments.file(dir, newer.get(i)), i, live, out);
      writeBatch(out);
      out.force(true);
    }
    Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    for (long s : segments) if (s != last) Files.deleteIfExists(Segments.file(dir, s));
    return live.unknownFamilies();
  }

  /** The earlier output's records whose slot has no image or removal among the newer segments, as they are. */
  private void copyNotEnded(Path compacted, LiveRecords live, FileChannel out) throws IOException {
    reader.read(compacted, new SegmentRecords.Visitor() {
      @Override
      public void record(ByteBuffer in, int start, int end, long offset) throws IOException {
        if (!live.ended(in, start)) copy(in, start, end - start, out);
      }

      @Override
      public void unknownFamily(int code) {
        live.unknownFamily(code);
      }
    });
  }

  /** The live records of newer segment {@code segment}, by the positions its index found, in order. */
  private void copyLive(Path file, int segment, LiveRecords live, FileChannel out) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long windowAt = 0;
      window.clear().limit(0);
      for (int r = live.first(segment); r < live.end(segment); r++) {
        if (!live.live(r)) continue;
        long offset = live.offset(r);
        int length = live.length(r);
        if (offset < windowAt || offset + length > windowAt + window.limit()) {
          if (window.capacity() < length) window = ByteBuffer.allocateDirect(length);
          window.clear();
          while (window.hasRemaining() && in.read(window, offset + window.position()) >= 0) {
            // fill the window from the record on (its index read it whole, so it is there)
          }
          window.flip();
          windowAt = offset;
        }
        copy(window, (int) (offset - windowAt), length, out);
      }
    }
  }

  private void copy(ByteBuffer in, int start, int length, FileChannel out) throws IOException {
    if (length > batch.remaining()) writeBatch(out);
    if (length > batch.capacity()) {
      ByteBuffer record = in.slice(start, length);
      while (record.hasRemaining()) out.write(record);
      return;
    }
    batch.put(batch.position(), in, start, length).position(batch.position() + length);
  }

  /** Writes what the batch holds, then leaves it cleared for the next. */
  private void writeBatch(FileChannel out) throws IOException {
    batch.flip();
    while (batch.hasRemaining()) out.write(batch);
    batch.clear();
  }
}
