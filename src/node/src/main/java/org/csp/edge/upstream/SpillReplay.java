package org.csp.edge.upstream;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.durability.TextLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spill file streamed back into the outbox on a thread of its own: one line read ahead at most, and an event
 * offered only while the outbox is not congested, so a spill larger than the heap is fed as the broker takes it.
 * A line that is not an event is skipped and counted. Each event the broker acknowledges is appended to the
 * progress file, so that a crash before the replay ends resends only the others. When every line is read and
 * every event delivered, both files are removed.
 */
public final class SpillReplay {
  private static final Logger log = LoggerFactory.getLogger(SpillReplay.class);
  /** How long a replay waiting for room in the outbox waits at a time before it looks whether it is stopped. */
  private static final Duration ROOM_WAIT = Duration.ofMillis(100);
  /** Corrupt lines logged one by one, each with its number; past this only the total is logged, at the end. */
  private static final int CORRUPT_LINES_LOGGED = 10;
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final Path spill;
  private final Path progress;
  private final Outbox outbox;
  private final LongAdder corruptLines;
  private final LongAdder replayed;
  private final Set<String> delivered;
  private final TextLines reader;
  private final Thread thread;
  /** Replayed events the broker has not acknowledged yet, by id. */
  private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private volatile boolean readAll;
  private boolean finished;
  private Writer progressLog;
  /** Read and not yet offered (the outbox was congested): part of the unread tail. */
  private String held;
  private long lineNumber;
  private long corruptHere;
  private long fed;

  SpillReplay(Path spill, Path progress, Outbox outbox, LongAdder corruptLines, LongAdder replayed) throws IOException {
    this.spill = spill;
    this.progress = progress;
    this.outbox = outbox;
    this.corruptLines = corruptLines;
    this.replayed = replayed;
    this.delivered = new HashSet<>();
    for (TextLines.Line id : TextLines.all(progress)) {
      if (!id.damaged() && !id.text().isBlank()) delivered.add(id.text().strip()); // a damaged one: sent again, a repeat
    }
    this.reader = TextLines.open(spill);
    this.thread = new Thread(this::feed, "outbox-spill-replay");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Events of this spill delivered by an earlier run that crashed during its replay. */
  public int alreadyDelivered() {
    return delivered.size();
  }

  /** Whether {@code event} came from this spill and is not delivered yet. */
  public boolean holds(UpstreamEvent event) {
    return outstanding.contains(event.eventId());
  }

  /** Events offered to the outbox so far. */
  public synchronized long fed() {
    return fed;
  }

  private void feed() {
    try {
      while (!stopping) {
        TextLines.Line read = reader.next();
        if (read == null) break;
        lineNumber = read.number();
        if (read.damaged()) {
          corrupt("its bytes are not UTF-8 text");
          continue;
        }
        String line = read.text();
        if (line.isBlank()) continue;
        UpstreamEvent event = parse(line);
        if (event == null || delivered.contains(event.eventId())) continue;
        synchronized (this) {
          held = line;
        }
        while (outbox.congested() && !stopping) outbox.awaitOpen(ROOM_WAIT);
        synchronized (this) {
          if (stopping) return; // held stays: it goes back into the next spill
          held = null;
          fed++;
          outstanding.add(event.eventId());
        }
        String id = event.eventId();
        outbox.offer(event.afterDelivery(() -> delivered(id)));
        replayed.increment();
      }
      if (!stopping) {
        readAll = true;
        if (corruptHere > 0) log.warn("{}: {} corrupt lines skipped in all", spill, corruptHere);
        log.info("{}: all {} events queued again", spill, fed());
        finishIfDone();
      }
    } catch (IOException e) {
      log.error("cannot read {} past line {}: {}; the rest stays there for the next start", spill, lineNumber, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private UpstreamEvent parse(String line) {
    try {
      UpstreamEvent e = UpstreamEvent.fromSpillJson(new JsonObject(line));
      if (e.eventId() == null || e.topic() == null || e.type() == null) throw new IllegalArgumentException("no eventId, type or topic");
      // Else it would fail to publish and be retried for ever, holding the replay and every stop after it.
      if (!UpstreamEvent.isTopicName(e.topic())) throw new IllegalArgumentException("its topic is not one a broker takes");
      return e;
    } catch (RuntimeException notAnEvent) {
      corrupt(notAnEvent.getMessage());
      return null;
    }
  }

  private void corrupt(String why) {
    corruptLines.increment();
    corruptHere++;
    if (corruptHere <= CORRUPT_LINES_LOGGED) log.warn("{} line {} is not an event ({}); skipped", spill, lineNumber, why);
  }

  /** The broker acknowledged a replayed event (publisher's thread): noted before anything else can crash. */
  private synchronized void delivered(String eventId) {
    if (finished || !outstanding.remove(eventId)) return;
    try {
      if (progressLog == null) {
        progressLog = Files.newBufferedWriter(progress, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      progressLog.write(eventId);
      progressLog.write('\n');
      progressLog.flush(); // to the OS: a crash of the process loses nothing
    } catch (IOException e) {
      log.warn("cannot note delivery of {} in {}: {}; a crash now would send it again", eventId, progress, e.toString());
    }
    finishIfDone();
  }

  private synchronized void finishIfDone() {
    if (finished || !readAll || !outstanding.isEmpty()) return;
    forget();
    log.info("{}: every event delivered; removed", spill);
  }

  /** Stops reading; the line held and the unread rest stay for {@link #copyUnreadTo}. */
  void stop() {
    stopping = true;
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** After {@link #stop}: the line held back and every line not read yet, verbatim; how many lines. */
  synchronized long copyUnreadTo(BufferedWriter w) throws IOException {
    if (finished) return 0;
    long lines = 0;
    if (held != null) {
      w.write(held);
      w.write('\n');
      lines++;
      held = null;
    }
    for (TextLines.Line read = reader.next(); read != null; read = reader.next()) {
      lineNumber = read.number();
      if (read.damaged()) {
        corrupt("its bytes are not UTF-8 text"); // not carried into the next spill
        continue;
      }
      if (read.text().isBlank()) continue;
      w.write(read.text());
      w.write('\n');
      lines++;
    }
    return lines;
  }

  /** Removes the spill being replayed and its progress: everything in it is delivered or spilled again. */
  synchronized void forget() {
    if (finished) return;
    finished = true;
    try {
      reader.close();
      if (progressLog != null) progressLog.close();
      Files.deleteIfExists(progress);
      Files.deleteIfExists(spill);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
