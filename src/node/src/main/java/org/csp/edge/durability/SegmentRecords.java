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
   * Hands every whole record of the segment to {@code visitor}, in order; stops at the first that is not whole (a
   * write a crash cut), whose bytes to the end are the result's {@code cutBytes}. A whole record of a family this
   * release does not know is handed on as such, not taken for a cut: the records after it are a newer release's too.
   */
  Segments.Read read(Path file, Visitor visitor) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      long windowAt = 0; // the segment's offset of the window's index 0
      window.clear().limit(0);
      int records = 0;
      while (true) {
        long at = windowAt + window.position();
        long left = size - at;
        if (left < JournalRecord.HEADER_BYTES) return new Segments.Read(records, left);
        int length = window.remaining() < JournalRecord.HEADER_BYTES ? JournalRecord.HEADER_BYTES
            : JournalRecord.HEADER_BYTES + window.getInt(window.position());
        if (length < JournalRecord.HEADER_BYTES || length > left) return new Segments.Read(records, left);
        if (length > window.remaining()) {
          windowAt += window.position();
          if (!refill(in, length)) return new Segments.Read(records, left); // the file shrank under us
          continue;
        }
        int start = window.position();
        if (!JournalRecord.pass(window)) {
          int unknown = JournalRecord.passUnknownFamily(window);
          if (unknown < 0) return new Segments.Read(records, left);
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
