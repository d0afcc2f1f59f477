package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The records appended to the journal and not yet written (group commit): the appenders encode into one buffer
 * under a short lock, with no system call; the journal's writer takes the whole buffer at once, hands the appenders
 * the other one, and writes the batch. Past {@code boundBytes} pending an appender waits for the writer
 * (back-pressure): a record is never dropped while the journal can write. A barrier ({@link #written}) completes
 * once every record appended before it was written, and fails if a write failed.
 *
 * <p>A failed write stops the journal for the rest of the run: the records after a lost one (a hub's changes
 * replayed on its image) would read back to a wrong state, so nothing appended later can be promised either. Every
 * barrier fails from then on, and appends are dropped rather than held (nothing waits for them).
 */
final class PendingWrites {
  /** Where a buffer starts; grown, doubling, as far as the bound (and one record past it) needs. */
  private static final int INITIAL_BYTES = 64 * 1024;
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private final int boundBytes;
  private ByteBuffer pending = ByteBuffer.allocateDirect(INITIAL_BYTES);
  /** The buffer the writer gave back; null while it is writing it. */
  private ByteBuffer spare = ByteBuffer.allocateDirect(INITIAL_BYTES);
  /** Records appended, and written, since the start: a barrier waits for the first to reach the second. */
  private long appended;
  private long written;
  /** Barriers waiting, in the order of their record counts (each taken under the lock). */
  private final ArrayDeque<Barrier> barriers = new ArrayDeque<>();
  private CompletionStage<Void> failure;
  private boolean closing;

  private record Barrier(long upTo, CompletableFuture<Void> done) {}

  /** The bytes of the records up to {@code upTo} (counted from the start), to be written at once. */
  record Batch(ByteBuffer bytes, long upTo) {}

  /** The appenders' lock: the journal's monitor, so that holding it holds every append (as before group commit). */
  private final Object lock;

  PendingWrites(int boundBytes, Object lock) {
    this.boundBytes = boundBytes;
    this.lock = lock;
  }

  /**
   * Encodes {@code record} into the pending buffer, after waiting for room while more than {@code boundBytes} are
   * pending (a record larger than that goes alone into an empty buffer). False when it is not kept: the journal is
   * closing (a clean stop journals nothing more) or a write failed.
   */
  boolean add(JournalRecord record) {
    synchronized (lock) {
      int n = record.encodedBytes();
      boolean interrupted = false;
      while (failure == null && !closing && pending.position() > 0 && pending.position() + n > boundBytes) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true; // a record is never dropped for it: the thread hears of it once the record is in
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      if (failure != null || closing) return false;
      if (pending.remaining() < n) pending = grown(pending, n);
      boolean wasEmpty = pending.position() == 0;
      record.encodeInto(pending);
      appended++;
      if (wasEmpty) lock.notifyAll(); // the writer waits for a first record only
      return true;
    }
  }

  private static ByteBuffer grown(ByteBuffer full, int more) {
    ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(full.capacity() * 2, full.position() + more));
    return bigger.put(full.flip());
  }

  /**
   * The writer's next batch: all that is pending, once there is any. Null once the journal is closing and all
   * appended was taken, or after a failed write (the writer then has nothing more to do).
   */
  Batch take() {
    synchronized (lock) {
      while (failure == null && !closing && pending.position() == 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          // Not how the writer is stopped (close is): carried on, so that no write of it is cut by an interrupt.
        }
      }
      if (failure != null || pending.position() == 0) return null;
      ByteBuffer batch = pending;
      pending = spare != null ? spare : ByteBuffer.allocateDirect(INITIAL_BYTES);
      spare = null;
      lock.notifyAll(); // appenders waiting for room have a whole buffer again
      return new Batch(batch.flip(), appended);
    }
  }

  /** The batch is in the operating system: the barriers it covers complete, its buffer is the next spare. */
  void written(Batch batch) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (lock) {
      written = batch.upTo();
      spare = batch.bytes().clear();
      while (!barriers.isEmpty() && barriers.peekFirst().upTo() <= written) done.add(barriers.pollFirst().done());
    }
    done.forEach(d -> d.complete(null)); // outside the lock: what waits on a barrier may append again
  }

  /** A write failed: every barrier fails, now and from now on; appenders waiting go on without their records. */
  void failed(IOException e) {
    List<CompletableFuture<Void>> waiting;
    synchronized (lock) {
      if (failure != null) return;
      failure = CompletableFuture.failedStage(e);
      pending.clear();
      waiting = barriers.stream().map(Barrier::done).toList();
      barriers.clear();
      lock.notifyAll();
    }
    waiting.forEach(d -> d.completeExceptionally(e));
  }

  /** Completes once every record appended before this call is written; fails if a write failed. */
  CompletionStage<Void> written() {
    synchronized (lock) {
      if (failure != null) return failure;
      if (written >= appended) return DONE;
      Barrier last = barriers.peekLast();
      if (last != null && last.upTo() == appended) return last.done(); // one barrier for all asking between two appends
      Barrier b = new Barrier(appended, new CompletableFuture<>());
      barriers.addLast(b);
      return b.done();
    }
  }

  /** No more records are kept; the writer takes what is pending, then stops. */
  void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
  }
}
