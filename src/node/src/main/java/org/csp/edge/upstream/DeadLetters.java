package org.csp.edge.upstream;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.durability.AtomicFile;
import org.csp.edge.durability.TextLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events the broker refused, kept in {@code <dataDir>/dead-letters/dead-letters.ndjson}: one line each, with the
 * topic, the event as it was to be published, why and when. The node appends; an operator lists and resends them
 * ({@code csp-edge-node dead-letters}). The node has counted what they carry, so the DSP's accounting holds only
 * once they are resent (src/docs/operations.md, "Dead letters"). Blocking: call it from a worker.
 */
public final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private final Path file;

  /** One refused event as kept. */
  public record Letter(String topic, JsonObject event, String why, String at) {
    public String eventId() {
      return event.getString("eventId");
    }

    public UpstreamEvent toEvent() {
      return new UpstreamEvent(eventId(), event.getString("type"), topic, event.getInteger("count", 0), event.toBuffer());
    }

    JsonObject toJson() {
      return new JsonObject().put("topic", topic).put("event", event).put("why", why).put("at", at);
    }

    static Letter of(JsonObject json) {
      return new Letter(json.getString("topic"), json.getJsonObject("event"), json.getString("why"), json.getString("at"));
    }
  }

  /** Its directory under the data directory, and the files in it. */
  public static final String DIRECTORY = "dead-letters";
  public static final String FILE = "dead-letters.ndjson";
  public static final String LOCK_FILE = "dead-letters.lock";
  private static final Object LOCAL_LOCK = new Object();

  public DeadLetters(Path dataDir) {
    this.file = dataDir.resolve(DIRECTORY).resolve(FILE);
  }

  public Path file() {
    return file;
  }

  public void append(UpstreamEvent event, String why, Instant at) throws IOException {
    Letter letter = new Letter(event.topic(), new JsonObject(event.payload()), why, at.toString());
    locked(() -> Files.writeString(file, letter.toJson().encode() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  private interface FileWork {
    void run() throws IOException;
  }

  /**
   * Runs {@code work} holding the file's lock: the running node appends, and {@code dead-letters resend} (another
   * process) reads the file and replaces it; without the lock, a letter appended between the read and the
   * replacement was lost. An OS lock on a file beside it (held across processes), and a monitor within this one
   * (the OS lock is the process's).
   */
  private void locked(FileWork work) throws IOException {
    Files.createDirectories(file.getParent());
    synchronized (LOCAL_LOCK) {
      try (FileChannel lock = FileChannel.open(file.resolveSibling(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock held = lock.lock()) {
        work.run();
      }
    }
  }

  public List<Letter> read() throws IOException {
    if (!Files.exists(file)) return List.of();
    List<Letter> letters = new ArrayList<>();
    for (TextLines.Line line : TextLines.all(file)) {
      if (!line.damaged() && line.text().isBlank()) continue;
      try {
        if (line.damaged()) throw new IllegalArgumentException("its bytes are not UTF-8 text");
        letters.add(Letter.of(new JsonObject(line.text())));
      } catch (RuntimeException e) {
        // Damaged on disk: the rest is still listed and resent; the line stays in the file until it is rewritten.
        log.warn("{} line {} is not a dead letter ({}); skipped", file,
            line.number(), e.getMessage());
      }
    }
    return letters;
  }

  /**
   * Takes out the letters the broker has now acknowledged, reading the file again first so that letters a running
   * node appended meanwhile stay; replaced atomically.
   */
  public void remove(java.util.Set<String> deliveredIds) throws IOException {
    locked(() -> rewriteWithout(deliveredIds));
  }

  private void rewriteWithout(java.util.Set<String> deliveredIds) throws IOException {
    List<Letter> kept = new ArrayList<>(read());
    kept.removeIf(l -> deliveredIds.contains(l.eventId()));
    if (kept.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    try (AtomicFile.Replacement r = AtomicFile.replace(file)) {
      BufferedWriter w = r.text();
      for (Letter l : kept) {
        w.write(l.toJson().encode());
        w.write('\n');
      }
      r.commit();
    }
  }
}
