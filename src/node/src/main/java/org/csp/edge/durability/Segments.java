package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The journal's files in its directory: {@code journal-<sequence>.log}, read in sequence order. */
final class Segments {
  private static final Pattern NAME = Pattern.compile("journal-(\\d{16})\\.log");
  static final String COMPACTING_SUFFIX = ".compacting";

  private Segments() {}

  static Path file(Path dir, long sequence) {
    return dir.resolve(String.format("journal-%016d.log", sequence));
  }

  /** The sequence numbers of the segments in {@code dir}, ascending. */
  static List<Long> list(Path dir) throws IOException {
    List<Long> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) return found;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (!m.matches()) continue;
        if (!Files.isRegularFile(f)) {
          throw new IOException(f + " is named as a journal segment but is not a file (a directory, or a link to"
              + " nothing): the node did not write it; move it out of " + dir);
        }
        found.add(Long.parseLong(m.group(1)));
      }
    }
    found.sort(null);
    return found;
  }

  /**
   * Deletes what a compaction a crash cut short left beside the segments: its output is renamed over the last segment
   * it folds before any of them is deleted, so an output still aside is unfinished, and its segments are all there.
   */
  static void removeUnfinishedCompactions(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(COMPACTING_SUFFIX)).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /**
   * What reading one segment found: its whole records, the bytes after the last of them (a cut tail), and the bytes
   * between whole records that were none (damaged on disk), skipped.
   */
  record Read(int records, long cutBytes, long damagedBytes) {}

  /**
   * Hands every whole record of the segment to {@code into}, in order; stops at the first that is not whole. A whole
   * record of a family this release does not know is counted in {@code into} and passed over, not taken for a cut:
   * the records after it are a newer release's too, and as good.
   */
  static Read read(Path file, Recovered into) throws IOException {
    return read(file, into, new SegmentRecords());
  }

  /** As {@link #read(Path, Recovered)}, through {@code reader}'s window (one for all the segments read at a start). */
  static Read read(Path file, Recovered into, SegmentRecords reader) throws IOException {
    return reader.read(file, new SegmentRecords.Visitor() {
      @Override
      public void record(ByteBuffer in, int start, int end, long offset) {
        into.add(JournalRecord.read(in, start, end)); // checked as it was passed: not again
      }

      @Override
      public void unknownFamily(int code) {
        into.unknownFamily(code);
      }
    });
  }
}
