package org.csp.edge.upstream;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    /** A line read back as a letter, or an IllegalArgumentException saying what it lacks. */
    static Letter of(JsonObject json) {
      if (!(json.getValue("topic") instanceof String topic) || topic.isEmpty()) {
        throw new IllegalArgumentException("it has no topic");
      }
      if (!(json.getValue("event") instanceof JsonObject event)) throw new IllegalArgumentException("it has no event");
      if (!(event.getValue("eventId") instanceof String id) || id.isEmpty()) {
        throw new IllegalArgumentException("its event has no eventId");
      }
      if (!(event.getValue("type") instanceof String)) throw new IllegalArgumentException("its event has no type");
      if (event.containsKey("count") && !(event.getValue("count") instanceof Integer)) {
        throw new IllegalArgumentException("its event's count is not a whole number");
      }
      Object why = json.getValue("why");
      Object at = json.getValue("at");
      return new Letter(topic, event, why == null ? null : String.valueOf(why), at == null ? null : String.valueOf(at));
    }
  }

  /** What the file holds: its letters, and the numbers of the lines that are not letters (kept in the file as they are). */
  public record Contents(List<Letter> letters, List<Long> unreadableLines) {}

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
    return contents().letters();
  }

  public Contents contents() throws IOException {
    List<Letter> letters = new ArrayList<>();
    try (Reader r = reader()) {
      for (Letter l = r.next(); l != null; l = r.next()) letters.add(l);
      return new Contents(letters, r.unreadableLines());
    }
  }

  /** The letters one at a time, for what must not hold them all (there may be more than a heap holds). */
  public Reader reader() throws IOException {
    return new Reader(Files.exists(file) ? TextLines.open(file) : null);
  }

  /** Reads the letters in the file's order; lines that are not letters are skipped and their numbers kept. */
  public final class Reader implements java.io.Closeable {
    private final TextLines lines;
    private final List<Long> unreadable = new ArrayList<>();

    private Reader(TextLines lines) {
      this.lines = lines;
    }

    /** The next letter, or null at the end of the file. */
    public Letter next() throws IOException {
      if (lines == null) return null;
      for (TextLines.Line line = lines.next(); line != null; line = lines.next()) {
        if (!line.damaged() && line.text().isBlank()) continue;
        try {
          if (line.damaged()) throw new IllegalArgumentException("its bytes are not UTF-8 text");
          return Letter.of(new JsonObject(line.text()));
        } catch (RuntimeException e) {
          // Damaged on disk: the rest is still listed and resent; the line stays in the file, byte for byte.
          unreadable.add(line.number());
          log.warn("{} line {} is not a dead letter ({}); skipped, and kept in the file", file, line.number(), e.getMessage());
        }
      }
      return null;
    }

    /** The numbers of the lines read so far that are not letters. */
    public List<Long> unreadableLines() {
      return List.copyOf(unreadable);
    }

    @Override
    public void close() throws IOException {
      if (lines != null) lines.close();
    }
  }

  /**
   * Takes out the letters the broker has now acknowledged, reading the file again first so that letters a running
   * node appended meanwhile stay; replaced atomically.
   */
  public void remove(java.util.Set<String> deliveredIds) throws IOException {
    locked(() -> rewriteWithout(deliveredIds));
  }

  /**
   * Copies the file without the lines of the delivered letters and without blank lines; every other line, a line that
   * is not a letter included, is kept byte for byte: the only record of what an event carried is never dropped here.
   */
  private void rewriteWithout(java.util.Set<String> deliveredIds) throws IOException {
    if (!Files.exists(file)) return;
    long kept = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
        AtomicFile.Replacement r = AtomicFile.replace(file)) {
      OutputStream out = r.stream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        line.reset();
        boolean copying = false; // a line longer than any letter: damage, copied through rather than held
        for (; b >= 0 && b != '\n'; b = in.read()) {
          if (!copying && line.size() >= TextLines.MAX_LINE_BYTES) {
            line.writeTo(out);
            copying = true;
          }
          if (copying) out.write(b);
          else line.write(b);
        }
        if (copying || keeps(line.toByteArray(), deliveredIds)) {
          if (!copying) line.writeTo(out);
          out.write('\n');
          kept++;
        }
        if (b < 0) break;
      }
      if (kept == 0) {
        Files.deleteIfExists(file); // the replacement, uncommitted, is discarded as it closes
        return;
      }
      r.commit();
    }
  }

  /** Whether a line stays: anything but a blank line or the line of a delivered letter. */
  private static boolean keeps(byte[] line, java.util.Set<String> deliveredIds) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(line)).toString();
      if (text.isBlank()) return false;
      return !deliveredIds.contains(Letter.of(new JsonObject(text)).eventId());
    } catch (java.nio.charset.CharacterCodingException | RuntimeException notALetter) {
      return true;
    }
  }
}
