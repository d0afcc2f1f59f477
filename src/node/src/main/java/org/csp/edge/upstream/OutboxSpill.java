package org.csp.edge.upstream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.durability.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the outbox goes when the node stops before the broker has taken everything: one event per line, written
 * to a temporary file and moved into place ({@code outbox-spill.ndjson}). The next start moves it aside to
 * {@code outbox-spill.replaying} and streams it back into the outbox ({@link SpillReplay}), noting each event the
 * broker acknowledges in {@code outbox-spill.delivered}: a crash in between resends only what was not delivered
 * yet, and a clean stop writes a new spill of what is left. Blocking: call it from a worker or the stop's thread.
 */
public final class OutboxSpill {
  private static final Logger log = LoggerFactory.getLogger(OutboxSpill.class);

  private final Path file;
  private final Path replaying;
  private final Path delivered;
  private final LongAdder corruptLines = new LongAdder();
  /** Events written to the spill file at a stop, and read back from it at a start (csp_outbox_spill_* metrics). */
  public final LongAdder spilled = new LongAdder();
  public final LongAdder replayed = new LongAdder();

  /** Its files under the data directory: the spill, the spill being replayed, and what of it was delivered. */
  public static final List<String> FILES = List.of("outbox-spill.ndjson", "outbox-spill.replaying", "outbox-spill.delivered");

  public OutboxSpill(Path dataDir) {
    this.file = dataDir.resolve(FILES.get(0));
    this.replaying = dataDir.resolve(FILES.get(1));
    this.delivered = dataDir.resolve(FILES.get(2));
  }

  public Path file() {
    return file;
  }

  /** Lines of spill files skipped since this node started because they were not an event. */
  public long corruptLines() {
    return corruptLines.sum();
  }

  /**
   * Starts feeding the outbox with what an earlier run left: the spill of its clean stop, or what a crashed replay
   * had not delivered yet. Null when there is nothing.
   */
  public SpillReplay replay(Outbox outbox) throws IOException {
    if (Files.exists(file)) {
      // A new spill supersedes an older replay: it was written from that replay's undelivered rest.
      Files.deleteIfExists(delivered);
      Files.move(file, replaying, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } else if (!Files.exists(replaying)) {
      Files.deleteIfExists(delivered);
      return null;
    }
    SpillReplay replay = new SpillReplay(replaying, delivered, outbox, corruptLines, replayed);
    log.info("events left by the last run are queued again from {}{}", replaying,
        replay.alreadyDelivered() > 0 ? " (" + replay.alreadyDelivered() + " of them delivered before a crash: skipped)" : "");
    replay.start();
    return replay;
  }

  /** What a stop took out of the outbox, and how many lines the new spill holds (0: none is left). */
  public record Spilled(int drained, long written) {}

  /**
   * Replaces the spill with what is still undelivered now: the replay (may be null) stopped first, then the
   * outbox's events ({@code everything}, or only those that came from the replay) and the replay's unread lines.
   * The replay's files are removed once the new spill is in place.
   */
  public Spilled write(Outbox outbox, boolean everything, SpillReplay replay) throws IOException {
    if (replay != null) replay.stop(); // before the outbox is drained: nothing more is fed into it
    List<UpstreamEvent> left = outbox.drainAll();
    long lines = 0;
    try (AtomicFile.Replacement r = AtomicFile.replace(file)) {
      BufferedWriter w = r.text();
      for (UpstreamEvent e : left) {
        if (!everything && (replay == null || !replay.holds(e))) continue;
        w.write(e.toSpillJson().encode());
        w.write('\n');
        lines++;
      }
      if (replay != null) lines += replay.copyUnreadTo(w);
      if (lines > 0) r.commit();
    }
    if (lines == 0) Files.deleteIfExists(file);
    if (replay != null) replay.forget();
    spilled.add(lines);
    return new Spilled(left.size(), lines);
  }
}
