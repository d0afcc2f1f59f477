package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a segment's whole records in order through one direct buffer, a window of the file at a time: a segment is
 * never copied whole into the heap. Compaction reads every segment that rolls, 64 MiB during a storm every few
 * seconds, and a heap copy of it was what the young collections of the storm copied and scanned.
 *
 * <p>Not thread-safe: one reader per thread (the window is reused from one segment to the next).
 */
final class SegmentRecords {
  static final int WINDOW_BYTES = 1024 * 1024;
  private ByteBuffer window;

  /** What is done with each record read. */
  interface Visitor {
    /**
     * A whole record of a known family, checked: its bytes are {@code in}'s from {@code start} to {@code end}
     * (absolute; the buffer is the reader's, valid until this returns), at {@code offset} in the segment.
     */
    void record(ByteBuffer in, int start, int end, long offset) throws IOException;

    /** A whole record of family {@code code}, which this release does not know: passed over. */
    default void unknownFamily(int code) {}
  }

  SegmentRecords() {
    this(WINDOW_BYTES);
  }

  /** A reader whose window starts at {@code windowBytes} (tests: records across the window's edges). */
  SegmentRecords(int windowBytes) {
    window = ByteBuffer.allocateDirect(windowBytes);
  }

  /**
   * Hands every whole record of the segment to {@code visitor}, in order. Where the bytes are not a whole record, it
   * looks for the next whole record a byte further on: bytes damaged on disk cost only the records they hit, and
   * what follows them is read (counted in the result's {@code damagedBytes}); bytes after which no whole record comes
   * are the tail a crash cut (the result's {@code cutBytes}). A whole record of a family this release does not know
   * is handed on as such: the records after it are a newer release's too. While looking, a record is taken only up
   * to {@link #WINDOW_BYTES} long, so that lengths read from damaged bytes cannot make it read far ahead, again and
   * again.
   */
  Segments.Read read(Path file, Visitor visitor) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      long windowAt = 0; // the segment's offset of the window's index 0
      window.clear().limit(0);
      int records = 0;
      long damagedFrom = -1; // where bytes that are no whole record began, while the next one is looked for
      long damaged = 0;
      while (true) {
        long at = windowAt + window.position();
        long left = size - at;
        if (left < JournalRecord.HEADER_BYTES) {
          return new Segments.Read(records, damagedFrom >= 0 ? size - damagedFrom : left, damaged);
        }
        int length = window.remaining() < JournalRecord.HEADER_BYTES ? JournalRecord.HEADER_BYTES
            : JournalRecord.HEADER_BYTES + window.getInt(window.position());
        boolean plausible = length >= JournalRecord.HEADER_BYTES && length <= left
            && (damagedFrom < 0 || length <= WINDOW_BYTES);
        if (plausible && length > window.remaining()) {
          windowAt += window.position();
          if (!refill(in, length)) {
            return new Segments.Read(records, size - (damagedFrom >= 0 ? damagedFrom : at), damaged); // it shrank
          }
          continue;
        }
        int start = window.position();
        int unknown = -1;
        boolean whole = plausible && (JournalRecord.pass(window) || (unknown = JournalRecord.passUnknownFamily(window)) >= 0);
        if (!whole) {
          if (damagedFrom < 0) damagedFrom = at;
          window.position(start + 1);
          continue;
        }
        if (damagedFrom >= 0) {
          damaged += at - damagedFrom;
          damagedFrom = -1;
        }
        if (unknown >= 0) {
          visitor.unknownFamily(unknown);
          continue;
        }
        visitor.record(window, start, window.position(), at);
        records++;
      }
    }
  }

  /** Keeps the window's unread bytes, grown to hold {@code length} if it cannot, and reads on; false if none came. */
  private boolean refill(FileChannel in, int length) throws IOException {
    window.compact();
    if (window.capacity() < length) {
      ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(length, 2 * window.capacity()));
      larger.put(window.flip());
      window = larger;
    }
    int before = window.position();
    while (window.hasRemaining() && in.read(window) >= 0) {
      // read as much as the window holds
    }
    boolean more = window.position() > before;
    window.flip();
    return more;
  }
}
