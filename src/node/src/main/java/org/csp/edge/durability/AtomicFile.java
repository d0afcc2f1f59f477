package org.csp.edge.durability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A file of the data directory replaced whole: written beside it under a name no other writer uses, forced to disk,
 * moved over it, and the directory forced too. A crash of the process or of the machine leaves the old content or the
 * new, never half of either, and two writers of one file never write into each other's temporary file: the last to
 * move wins whole.
 *
 * <pre>{@code
 * try (AtomicFile.Replacement r = AtomicFile.replace(file)) {
 *   r.text().write(...);
 *   r.commit(); // without it, close() discards what was written and the old file stays
 * }
 * }</pre>
 */
public final class AtomicFile {
  private static final String TEMPORARY_SUFFIX = ".tmp";
  /** A temporary file's name: the target's, a random number, the suffix (Files.createTempFile). */
  private static final Pattern LEFTOVER = Pattern.compile(".+\\.\\d+" + Pattern.quote(TEMPORARY_SUFFIX));
  /** The data directory's files lie in it or one directory down. */
  private static final int LEFTOVER_DEPTH = 2;

  /** Writes a whole content to an output stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /** Starts replacing {@code file}: its directory is created if missing. */
  public static Replacement replace(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temporary = Files.createTempFile(dir, file.getFileName() + ".", TEMPORARY_SUFFIX);
    return new Replacement(file, temporary);
  }

  /**
   * Removes the temporary files of writes that a crash cut short, in {@code dir} and its subdirectories; the files
   * they were to replace are whole. Only before anything writes there (at start). Returns how many were removed.
   */
  public static int removeLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    List<Path> leftovers;
    try (Stream<Path> files = Files.walk(dir, LEFTOVER_DEPTH)) {
      leftovers = files.filter(f -> Files.isRegularFile(f) && LEFTOVER.matcher(f.getFileName().toString()).matches())
          .toList();
    }
    for (Path f : leftovers) Files.deleteIfExists(f);
    return leftovers.size();
  }

  /** Replaces {@code file} with {@code text} in UTF-8. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Replaces {@code file} with what {@code content} writes. */
  public static void write(Path file, Content content) throws IOException {
    try (Replacement r = replace(file)) {
      content.writeTo(r.stream());
      r.commit();
    }
  }

  /** One replacement in progress; {@link #close} without {@link #commit} leaves the old file as it was. */
  public static final class Replacement implements AutoCloseable {
    private final Path file;
    private final Path temporary;
    private final FileChannel channel;
    private final OutputStream stream;
    private BufferedWriter text;
    private boolean done;

    private Replacement(Path file, Path temporary) throws IOException {
      this.file = file;
      this.temporary = temporary;
      this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      // not closed by the caller's writers: commit forces the channel before closing it
      this.stream = new java.io.BufferedOutputStream(Channels.newOutputStream(channel)) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }

    /** The new content as bytes. */
    public OutputStream stream() {
      return stream;
    }

    /** The new content as UTF-8 text, on the same stream. */
    public BufferedWriter text() {
      if (text == null) text = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
      return text;
    }

    /** Makes the new content the file's: on disk, then in place of the old. */
    public void commit() throws IOException {
      if (text != null) text.flush();
      stream.flush();
      channel.force(true);
      channel.close();
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      forceDirectory(temporary.getParent());
    }

    /** Without a commit: the temporary file is removed and the old file stays. */
    @Override
    public void close() throws IOException {
      if (done) return;
      done = true;
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /** The rename is in the directory: forced, so that a machine crash does not undo it. Not every file system can. */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // the content is on disk either way; only the rename's durability is the file system's
    }
  }
}
