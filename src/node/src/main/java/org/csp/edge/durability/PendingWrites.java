package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;

/**
 * The records appended to the journal and not yet written (group commit): the appenders encode into one buffer
 * under a short lock, with no system call; a batch is the whole buffer, taken at once (the appenders get the other
 * one) and written by one thread at a time, the holder of the turn. Past {@code boundBytes} pending an appender
 * waits for the writer (back-pressure): a record is never dropped while the journal can write. A barrier
 * ({@link #written}) completes once every record appended before it was written, and fails if a write failed.
 *
 * <p>Who writes (leader and followers): a thread asking for a barrier while no one writes takes the turn and writes
 * the batch itself ({@link Turn#lead}), so that at low rates a message costs no hand-off to another thread and
 * back. While someone writes, barriers wait, and the journal's writer thread takes the next batch once that write
 * ends: under load, batches form as before. The writer thread alone writes a batch past {@link #LEADER_MAX_BYTES},
 * the batch that fills the active segment (and rolls it), the batches of appenders waiting for room, and what closing leaves; records no barrier asks for
 * are written by it within about two {@link #UNASKED_WRITE_DELAY}s, which it polls at while records come.
 *
 * <p>A failed write stops the journal for the rest of the run: the records after a lost one (a hub's changes
 * replayed on its image) would read back to a wrong state, so nothing appended later can be promised either. Every
 * barrier fails from then on, and appends are dropped rather than held (nothing waits for them).
 */
final class PendingWrites {
  /** Where a buffer starts; grown, doubling, as far as the bound (and one record past it) needs. */
  private static final int INITIAL_BYTES = 64 * 1024;
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
  /**
   * How long the writer thread leaves records no barrier asked for (a sweep's seal, a release), polling while records
   * come, so that a leader may take them first: a wake-up per poll, not per message.
   */
  static final Duration UNASKED_WRITE_DELAY = Duration.ofMillis(10);
  /**
   * The largest batch a thread asking for a barrier writes itself (an intake's event loop): a page-cache copy of
   * microseconds. Larger ones, which form under load, go to the writer thread.
   */
  static final int LEADER_MAX_BYTES = INITIAL_BYTES;

  private final int boundBytes;
  private ByteBuffer pending = ByteBuffer.allocateDirect(INITIAL_BYTES);
  /** The buffer the last batch gave back; null while it is being written. */
  private ByteBuffer spare = ByteBuffer.allocateDirect(INITIAL_BYTES);
  /** Records appended, and written, since the start: a barrier waits for the first to reach the second. */
  private long appended;
  private long written;
  /** Barriers waiting, in the order of their record counts (each taken under the lock). */
  private final ArrayDeque<Barrier> barriers = new ArrayDeque<>();
  private CompletionStage<Void> failure;
  private boolean closing;
  /** A batch is taken and being written (by a leader or the writer thread): the turn is taken. */
  private boolean writing;
  /** Appenders waiting for room: the writer thread takes the buffer for them at once. */
  private int waitingForRoom;
  /** The writer thread waits untimed (nothing came for a whole poll): the first record wakes it. */
  private boolean writerAsleep;
  /** {@link #appended} at the writer's last look: a record appended before it and still not written has waited. */
  private long appendedAtLastLook;
  /** Whether a batch of so many bytes fits the active segment without filling it (else the writer writes and rolls). */
  private final IntPredicate fitsSegment;

  /**
   * One lock, two queues: the writer thread waits on {@code writerWake}, appenders on {@code room}, so that waking
   * one never wakes the other (appenders woken for the writer's sake would take the lock before it, over and over).
   */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition writerWake = lock.newCondition();
  private final Condition room = lock.newCondition();

  private record Barrier(long upTo, CompletableFuture<Void> done) {}

  /** The bytes of the records up to {@code upTo} (counted from the start), to be written at once. */
  record Batch(ByteBuffer bytes, long upTo) {}

  /** What a thread asking for a barrier does: write {@code lead} itself (it holds the turn), or wait for {@code done}. */
  record Turn(Batch lead, CompletionStage<Void> done) {}

  /** @param fitsSegment asked under this lock; what it reads is written by the turn's holder before it gives it back */
  PendingWrites(int boundBytes, IntPredicate fitsSegment) {
    this.boundBytes = boundBytes;
    this.fitsSegment = fitsSegment;
  }

  /**
   * Encodes {@code record} into the pending buffer, after waiting for room while more than {@code boundBytes} are
   * pending (a record larger than that goes alone into an empty buffer). False when it is not kept: the journal is
   * closing (a clean stop journals nothing more) or a write failed.
   */
  boolean add(JournalRecord.Frame record) {
    lock.lock();
    try {
      int n = record.bytes();
      while (failure == null && !closing && pending.position() > 0 && pending.position() + n > boundBytes) {
        waitingForRoom++;
        writerWake.signal(); // the writer thread takes the buffer for us
        try {
          room.awaitUninterruptibly(); // a record is never dropped for an interrupt
        } finally {
          waitingForRoom--;
        }
      }
      if (failure != null || closing) return false;
      if (pending.remaining() < n) pending = grown(pending, n);
      boolean wasEmpty = pending.position() == 0;
      record.writeInto(pending);
      appended++;
      if (wasEmpty && writerAsleep) writerWake.signal(); // else it polls, or a barrier's leader writes it first
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static ByteBuffer grown(ByteBuffer full, int more) {
    ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(full.capacity() * 2, full.position() + more));
    return bigger.put(full.flip());
  }

  /**
   * The writer thread's next batch, taking the turn: once no one else writes and a barrier waits, an appender waits
   * for room, the batch would fill the segment, the journal is closing, or records waited a poll with no barrier
   * asking. Null once the journal is closing and all appended is written, or after a failed write.
   */
  Batch take() {
    lock.lock();
    try {
      while (true) {
        if (failure != null) return null;
        int n = pending.position();
        if (!writing && n > 0 && (closing || waitingForRoom > 0 || !barriers.isEmpty() || !leaderMayWrite(n)
            || written < appendedAtLastLook)) {
          return takeTurn();
        }
        if (!writing && n == 0 && closing) return null;
        boolean quiet = n == 0 && appended == appendedAtLastLook;
        appendedAtLastLook = appended;
        // Not how the writer is stopped (close is): an interrupt is carried on, so that no write of it is cut.
        if (quiet) {
          writerAsleep = true;
          try {
            writerWake.awaitUninterruptibly();
          } finally {
            writerAsleep = false;
          }
        } else {
          try {
            writerWake.await(UNASKED_WRITE_DELAY.toNanos(), TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            // as above
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean leaderMayWrite(int bytes) {
    return bytes <= LEADER_MAX_BYTES && fitsSegment.test(bytes);
  }

  /** The whole pending buffer as the next batch; the caller holds the lock, and the turn from now on. */
  private Batch takeTurn() {
    writing = true;
    ByteBuffer batch = pending;
    pending = spare != null ? spare : ByteBuffer.allocateDirect(INITIAL_BYTES);
    spare = null;
    if (waitingForRoom > 0) room.signalAll(); // they have a whole buffer again
    return new Batch(batch.flip(), appended);
  }

  /**
   * The batch is in the operating system: the barriers it covers complete, its buffer is the next spare, and the turn
   * is free. Barriers still waiting (records appended during the write) go to the writer thread.
   */
  void written(Batch batch) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    lock.lock();
    try {
      writing = false;
      written = batch.upTo();
      spare = batch.bytes().clear();
      while (!barriers.isEmpty() && barriers.peekFirst().upTo() <= written) done.add(barriers.pollFirst().done());
      if (!barriers.isEmpty() || waitingForRoom > 0 || closing) writerWake.signal();
    } finally {
      lock.unlock();
    }
    done.forEach(d -> d.complete(null)); // outside the lock: what waits on a barrier may append again
  }

  /** A write failed: every barrier fails, now and from now on; appenders waiting go on without their records. */
  void failed(IOException e) {
    List<CompletableFuture<Void>> waiting;
    lock.lock();
    try {
      if (failure != null) return;
      failure = CompletableFuture.failedStage(e);
      pending.clear();
      waiting = barriers.stream().map(Barrier::done).toList();
      barriers.clear();
      room.signalAll();
      writerWake.signal();
    } finally {
      lock.unlock();
    }
    waiting.forEach(d -> d.completeExceptionally(e));
  }

  /**
   * A barrier for every record appended before this call: done already, or the caller's turn to write them (when no
   * one else writes and they fit the active segment; it then hands the batch to {@link #written} or {@link #failed}),
   * or a stage that completes once they are written and fails if a write failed.
   */
  Turn written() {
    lock.lock();
    try {
      if (failure != null) return new Turn(null, failure);
      if (written >= appended) return new Turn(null, DONE);
      int n = pending.position();
      if (!writing && !closing && n > 0 && leaderMayWrite(n)) return new Turn(takeTurn(), null);
      if (!writing) writerWake.signal(); // the writer thread's to write: a large batch, a full segment, or closing
      Barrier last = barriers.peekLast();
      if (last != null && last.upTo() == appended) return new Turn(null, last.done()); // one for all between two appends
      Barrier b = new Barrier(appended, new CompletableFuture<>());
      barriers.addLast(b);
      return new Turn(null, b.done());
    } finally {
      lock.unlock();
    }
  }

  /** No more records are kept; the writer takes what is pending, then stops. */
  void close() {
    lock.lock();
    try {
      closing = true;
      writerWake.signal();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
