package org.csp.edge.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's write-ahead journal: records appended in order, encoded into memory under a short lock
 * ({@link PendingWrites}), and written a batch at a time with a plain {@code write} to the active segment (group
 * commit: the appenders, partition threads and intakes, make no system call), by a thread asking for a barrier when
 * no one else writes, else by the journal's own writer thread ({@code csp-journal-writer}). {@link #written}
 * completes once what was appended before it is in the operating system's page cache, where it survives the process
 * being killed: the intakes wait for it before they acknowledge. Surviving the machine's loss needs the data forced
 * to the disk: every {@code fsyncInterval}, off the hot path, so a power cut loses at most that much. A segment past
 * {@code segmentBytes} is closed by the writer thread and the next one started; the closed ones are then compacted,
 * on the journal's background thread, into one segment holding the newest record of each live key, without holding
 * up appends.
 *
 * <p>Thread-safe: the partition threads of every hub and the intakes append concurrently. Appends of one key come
 * from one thread at a time (a hub's partition thread), so their order in the file is the order of its changes.
 */
public final class Journal implements AutoCloseable {
  /** Its directory under the data directory. */
  public static final String DIRECTORY = "journal";
  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Path dir;
  private final int segmentBytes;
  private final boolean fsync;
  private final Recovered recovered;
  private final ScheduledExecutorService background;
  private final AtomicBoolean compacting = new AtomicBoolean();
  /** Segments before this one are to be compacted; those before {@code compactedBefore} are. */
  private final java.util.concurrent.atomic.AtomicLong compactBefore = new java.util.concurrent.atomic.AtomicLong();
  private volatile long compactedBefore;
  /** The segment the last compaction wrote (live records only); read and written by the compacting thread alone. */
  private long lastCompacted = -1;
  /**
   * Used by the compacting thread alone, made at the first roll (its buffers are megabytes of direct memory, which
   * a node that never fills a segment does not need); null until then.
   */
  private Compaction compaction;
  private final LongAdder appended = new LongAdder();
  private final LongAdder appendedBytes = new LongAdder();
  /** Records of unknown families (a newer release's) that compactions of this run dropped, by family code. */
  private final Map<Integer, Long> droppedUnknown = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final LongAdder writeFailures = new LongAdder();
  private final PendingWrites pending;
  private final Thread writer;
  /** Written by the writer thread (rolls); read by the fsync task and by close once the writer stopped. */
  private volatile FileChannel active;
  /** This run's first segment: those before it are the earlier runs', read at open and dropped once restored. */
  private long firstOfRun;
  /** The turn holder's (PendingWrites): a leader or the writer thread, one at a time, handed on under the lock. */
  private long activeSequence;
  private long activeBytes;
  private final AtomicBoolean closed = new AtomicBoolean();
  private static final Duration COMPACTION_STOP_WAIT = Duration.ofSeconds(10);
  /** The mark of segments kept by a clean stop ({@link #closeAfterCleanStop}), beside them. */
  static final String CLEAN_STOP = "stopped-cleanly";

  /** How a segment is opened for appending: its file, but a test may put a failing device in its place. */
  interface SegmentOpener {
    FileChannel open(Path file) throws IOException;
  }

  private static final SegmentOpener SEGMENT_FILES = file -> FileChannel.open(file, StandardOpenOption.CREATE,
      StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  private final SegmentOpener opener;

  private Journal(Path dir, int segmentBytes, int pendingBytes, Recovered recovered, Duration fsyncInterval,
      SegmentOpener opener) throws IOException {
    this.dir = dir;
    this.opener = opener;
    this.segmentBytes = segmentBytes;
    this.recovered = recovered;
    this.fsync = fsyncInterval != null;
    if (dir == null) {
      background = null;
      pending = null;
      writer = null;
      return;
    }
    pending = new PendingWrites(pendingBytes, n -> activeBytes + n < segmentBytes);
    List<Long> existing = Segments.list(dir);
    activeSequence = existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1;
    firstOfRun = activeSequence;
    active = openSegment(activeSequence);
    background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "csp-journal");
      t.setDaemon(true);
      return t;
    });
    if (fsyncInterval != null) {
      long every = fsyncInterval.toMillis();
      background.scheduleWithFixedDelay(this::force, every, every, TimeUnit.MILLISECONDS);
    }
    writer = new Thread(this::writeBatches, "csp-journal-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Reads what the journal in {@code dir} holds, then opens a new segment after the last one for this run. */
  public static Journal open(Path dir, NodeConfig.Durability settings) throws IOException {
    return open(dir, settings, SEGMENT_FILES);
  }

  static Journal open(Path dir, NodeConfig.Durability settings, SegmentOpener opener) throws IOException {
    Files.createDirectories(dir);
    Segments.removeUnfinishedCompactions(dir);
    Recovered recovered = new Recovered();
    // Read once: this run's segments are a crash's until its own clean stop says otherwise.
    if (Files.deleteIfExists(dir.resolve(CLEAN_STOP))) recovered.afterCleanStop();
    SegmentRecords reader = new SegmentRecords();
    for (long sequence : Segments.list(dir)) {
      Segments.Read read = Segments.read(Segments.file(dir, sequence), recovered, reader);
      if (read.cutBytes() > 0) {
        recovered.cut(read.cutBytes());
        log.warn("journal segment {}: {} bytes after its last whole record skipped (a write cut by a crash or a full"
            + " disk)", sequence, read.cutBytes());
      }
      if (read.damagedBytes() > 0) {
        recovered.damaged(read.damagedBytes());
        log.error("journal segment {}: {} bytes between whole records are damaged (not a record, or a checksum that"
            + " does not hold) and were skipped, with whatever records they held; the records after them are"
            + " restored. Check the disk.", sequence, read.damagedBytes());
      }
    }
    if (!recovered.unknownFamilies().isEmpty()) {
      log.warn("journal: records of families this release does not know, by family code {}: written by a newer"
          + " release; skipped (what they held is not restored)", recovered.unknownFamilies());
    }
    return new Journal(dir, settings.segmentBytes(), settings.pendingBytes(), recovered, settings.fsyncInterval(),
        opener);
  }

  /**
   * Whether {@code dir} holds the segments of an earlier run that did not stop cleanly (a clean stop deletes them, or
   * keeps them marked: {@link #closeAfterCleanStop}).
   */
  public static boolean leftIn(Path dir) throws IOException {
    return Files.isDirectory(dir) && !Segments.list(dir).isEmpty() && !Files.exists(dir.resolve(CLEAN_STOP));
  }

  /** Whether {@code dir} holds the segments a clean stop kept for the hubs' memory. */
  public static boolean keptIn(Path dir) throws IOException {
    return Files.isDirectory(dir) && !Segments.list(dir).isEmpty() && Files.exists(dir.resolve(CLEAN_STOP));
  }

  /**
   * Deletes what a clean stop kept ({@link #keptIn}): a run without the journal would not keep that memory up to date,
   * and a later run with it must not restore it stale. Nothing in it is owed.
   */
  public static void forgetKept(Path dir) throws IOException {
    for (long s : Segments.list(dir)) Files.deleteIfExists(Segments.file(dir, s));
    Files.deleteIfExists(dir.resolve(CLEAN_STOP));
  }

  /** A journal that keeps nothing ({@code durability.journal: off}). */
  public static Journal off() {
    try {
      return new Journal(null, Integer.MAX_VALUE, 0, new Recovered(), null, SEGMENT_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not reached: no file is opened
    }
  }

  public boolean on() {
    return dir != null;
  }

  /** What the journal held when it was opened. */
  public Recovered recovered() {
    return recovered;
  }

  public void put(JournalRecord.Family family, String key, byte[] image) {
    if (dir != null) append(new JournalRecord(family, key, image));
  }

  public void remove(JournalRecord.Family family, String key) {
    if (dir != null) append(new JournalRecord(family, key, null));
  }

  /**
   * Queues the record for the writer; waits only while {@code pendingBytes} are pending. Not kept once the journal is
   * closing (stopping cleanly: what still runs is flushed, spilled or handed over, not journaled) or after a failed
   * write (every barrier fails then: nothing it stands for is acknowledged). Appends hold the journal's monitor while
   * they copy the record framed before it, so that holding it holds every append (as before group commit); the
   * writers never take it.
   */
  void append(JournalRecord record) {
    JournalRecord.Frame frame = record.frame();
    synchronized (this) {
      if (pending.add(frame)) {
        appended.increment();
        appendedBytes.add(frame.bytes());
      }
    }
  }

  /**
   * Completes once every record appended before this call is written (in the operating system: it survives the
   * process being killed); fails if a write failed. Already complete when the journal is off or nothing is pending.
   */
  public CompletionStage<Void> written() {
    if (dir == null) return OFF;
    PendingWrites.Turn turn = pending.written();
    if (turn.lead() == null) return turn.done();
    // The caller's turn: it writes the batch itself (a page-cache write, as an append made before group commit).
    try {
      if (write(turn.lead(), false)) return OFF;
    } catch (RuntimeException e) {
      failed("writing segment " + activeSequence, new IOException(e)); // the turn is never left taken
    }
    return pending.written().done(); // failed: every barrier fails from now on
  }

  private static final CompletionStage<Void> OFF = CompletableFuture.completedFuture(null);

  /** The writer thread: each batch it takes the turn for, then a roll if the batch filled the segment. */
  private void writeBatches() {
    try {
      PendingWrites.Batch batch;
      while ((batch = pending.take()) != null) {
        if (!write(batch, true)) return;
      }
    } catch (RuntimeException | Error e) {
      // Whatever stops the writer fails the barriers: an intake must not wait for ever for a write that never comes.
      failed("writing segment " + activeSequence, new IOException(e));
      if (e instanceof Error error) throw error;
    }
  }

  /**
   * Writes a batch, with the turn held: one {@code write} (as few as the kernel takes); the writer thread then rolls
   * the segment if it is full, before the barriers complete (what waits for them finds the roll and its compaction
   * started). False when it failed: logged, and the journal stopped.
   */
  private boolean write(PendingWrites.Batch batch, boolean rollIfFull) {
    int n = batch.bytes().remaining();
    try {
      while (batch.bytes().hasRemaining()) active.write(batch.bytes());
    } catch (IOException e) {
      cutBackToLastBatch();
      failed("writing segment " + activeSequence, e);
      return false;
    }
    activeBytes += n;
    if (rollIfFull && activeBytes >= segmentBytes) {
      try {
        roll();
      } catch (IOException e) {
        // The batch is whole in the segment it filled, and a restart restores it: its barriers hold, or the resends
        // of what they acknowledge would be counted again. Nothing after it is written.
        pending.written(batch);
        failed("closing segment " + activeSequence + " and starting the next", e);
        return false;
      }
    }
    pending.written(batch);
    return true;
  }

  /**
   * A write the disk took in part (it filled in the middle) leaves whole records of a batch whose barriers fail: the
   * next start would restore changes and counts of messages never acknowledged, and count their resends again. The
   * segment is cut back to the end of the last batch written whole; if even that fails, said, for the operator.
   */
  private void cutBackToLastBatch() {
    try {
      if (active.size() > activeBytes) active.truncate(activeBytes);
    } catch (IOException e) {
      log.error("journal: segment {} in {} could not be cut back to its last whole batch ({} bytes): {}; the next start"
          + " may restore records of messages that were not acknowledged", activeSequence, dir, activeBytes, e.toString());
    }
  }

  /** Logged once: the journal stops, and every barrier fails from now on (see {@link PendingWrites}). */
  private void failed(String what, IOException e) {
    if (writeFailures.sum() > 0) return; // stopped already: said once
    writeFailures.increment();
    log.error("journal: {} in {} failed; nothing more is journaled in this run, and nothing is acknowledged until the"
        + " node is restarted: {}", what, dir, e.toString());
    pending.failed(e);
  }

  private void roll() throws IOException {
    FileChannel full = active;
    activeSequence++;
    active = openSegment(activeSequence);
    activeBytes = 0;
    if (fsync) full.force(false);
    full.close();
    compactSoon(activeSequence);
  }

  private FileChannel openSegment(long sequence) throws IOException {
    return opener.open(Segments.file(dir, sequence));
  }

  private void force() {
    FileChannel c = active;
    try {
      if (c.isOpen()) c.force(false);
    } catch (IOException e) {
      // A segment closed by a roll in between is flushed by the next run. Any other failure stops the journal as a
      // failed write does: after a failed fsync the kernel may have dropped the pages, so what was acknowledged since
      // the last good one is not known to be on disk, and acknowledging more would promise what the disk did not keep.
      if (c.isOpen()) failed("forcing segment " + activeSequence + " to disk", e);
    }
  }

  private void compactSoon(long before) {
    compactBefore.accumulateAndGet(before, Math::max);
    if (compacting.compareAndSet(false, true)) background.execute(this::compactWhatRolled);
  }

  /** Compacts until no roll is left uncompacted, rolls during a compaction included. */
  private void compactWhatRolled() {
    try {
      long target;
      while ((target = compactBefore.get()) > compactedBefore) {
        compact(target);
        compactedBefore = target;
      }
    } catch (IOException | RuntimeException e) {
      log.warn("journal: compaction failed (its segments stay, retried at the next roll): {}", e.toString());
    } finally {
      compacting.set(false);
    }
    // A roll between the last test and the flag's release found the flag still set: take it up here.
    if (compactBefore.get() > compactedBefore && compacting.compareAndSet(false, true)) {
      background.execute(this::compactWhatRolled);
    }
  }

  /**
   * Folds every segment of this run before {@code before} (closed ones) into the last of them ({@link Compaction}).
   * When the first of them is the last compaction's output (live records only), its records are copied less those
   * the newer segments make stale, without being indexed again: each roll then indexes the newer records only.
   */
  void compact(long before) throws IOException {
    List<Long> closedOnes = Segments.list(dir).stream().filter(s -> s >= firstOfRun && s < before).toList();
    if (closedOnes.isEmpty()) return;
    boolean onCompacted = closedOnes.size() > 1 && closedOnes.get(0) == lastCompacted;
    if (compaction == null) compaction = new Compaction();
    Map<Integer, Integer> dropped = compaction.fold(dir, closedOnes, onCompacted);
    lastCompacted = closedOnes.get(closedOnes.size() - 1);
    if (!dropped.isEmpty()) {
      dropped.forEach((code, n) -> droppedUnknown.merge(code, (long) n, Long::sum));
      log.warn("journal: compaction dropped records of families this release does not know, by family code {}"
          + " (written by a newer release)", dropped);
    }
  }

  /**
   * Deletes the earlier runs' segments, once what of them is still owed was written again in this run's (the hubs
   * restored, the counts of earlier boots). Until then a crash leaves both, which read back to the same records.
   */
  public void dropEarlierSegments() throws IOException {
    if (dir == null || closed.get()) return;
    // The copies are written, then on the disk, before the originals go.
    try {
      written().toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new IOException("journal: the copies of the earlier runs' records could not be written", e.getCause());
    }
    FileChannel c = active;
    try {
      c.force(false);
    } catch (java.nio.channels.ClosedChannelException e) {
      // Rolled in between: a roll forces the segment it closes when fsync is on (and nothing is forced when off).
    }
    for (long s : Segments.list(dir)) if (s < firstOfRun) Files.deleteIfExists(Segments.file(dir, s));
  }

  /** Records and bytes appended by this run. */
  public long appended() {
    return appended.sum();
  }

  public long appendedBytes() {
    return appendedBytes.sum();
  }

  /**
   * Records of families this release does not know (written by a newer one), by family code: those passed over when
   * the journal was opened, and those this run's compactions dropped. What they held is not restored.
   */
  public Map<Integer, Long> unknownFamilies() {
    Map<Integer, Long> all = new java.util.TreeMap<>(droppedUnknown);
    recovered.unknownFamilies().forEach((code, n) -> all.merge(code, (long) n, Long::sum));
    return all;
  }

  /** The sum of {@link #unknownFamilies}. */
  public long unknownFamilyRecords() {
    return unknownFamilies().values().stream().mapToLong(Long::longValue).sum();
  }

  /** The writes that failed (at most one: the journal stops at the first). */
  public long writeFailures() {
    return writeFailures.sum();
  }

  /**
   * Closes the journal, keeping its segments (they are read at the next start): what was appended before is written
   * first, by the writer, which then stops.
   */
  @Override
  public void close() {
    if (dir == null || !closed.compareAndSet(false, true)) return;
    pending.close();
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true; // the pending records are written all the same
      }
    }
    background.shutdownNow();
    try {
      // A compaction still running would write its segment after close, and after discard's deletes.
      if (!background.awaitTermination(COMPACTION_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("journal: a compaction did not stop within {}", COMPACTION_STOP_WAIT);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try (FileChannel last = active) {
      last.force(false);
    } catch (IOException e) {
      log.warn("journal: closing segment {} failed: {}", activeSequence, e.toString());
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the journal and keeps its segments, marked as a clean stop's: the last member of a cluster, or a node alone,
   * owes nothing more (it flushed and spilled), but its hubs' memory (storms, header counters, rates) is worth
   * restoring at the next start; the mark tells that start that their waiting events and this run's counts are not
   * owed again. Written after every record is, so a mark never stands for segments still being written.
   */
  public void closeAfterCleanStop() {
    if (dir == null) return;
    close();
    try {
      AtomicFile.writeString(dir.resolve(CLEAN_STOP), "stopped cleanly\n");
    } catch (IOException e) {
      log.warn("journal: could not mark {} as kept by a clean stop ({}); the next start reads it as a crash's (events"
          + " delivered already may be sent again, with their ids)", dir, e.toString());
    }
  }

  /**
   * Closes the journal and deletes its segments: after a clean stop nothing of this run is owed any more (the last
   * member flushed and spilled, another member took the hubs over).
   */
  public void discard() {
    if (dir == null) return;
    close();
    try {
      for (long s : Segments.list(dir)) Files.deleteIfExists(Segments.file(dir, s));
    } catch (IOException e) {
      log.warn("journal: could not delete the segments in {} after a clean stop: {}", dir, e.toString());
    }
  }

  /** Waits for what was appended to be written, then for a compaction in progress (tests). */
  public void awaitCompaction(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      written().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("journal: the records appended were not written", e);
    }
    while (compacting.get() && System.nanoTime() < deadline) Thread.sleep(5);
  }
}
