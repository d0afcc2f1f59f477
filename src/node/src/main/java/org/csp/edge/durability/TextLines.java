package org.csp.edge.durability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a file the node wrote (the outbox spill and its progress, the dead letters, the policy log), read one at
 * a time as bytes and decoded each on its own. A line damaged on disk, whose bytes are no longer UTF-8 or that runs
 * past {@link #MAX_LINE_BYTES} with no end, is handed on as damaged: its reader skips and counts it and reads on. A
 * reader that decoded the whole file at once failed at the first such byte, and with it the start or the replay of
 * everything after it.
 */
public final class TextLines implements Closeable {
  /** Longer than any line the node writes (an event is at most upstream.maxMessageBytes); a longer one is damage. */
  public static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

  /** Line {@code number} (from 1); {@code text} null when the line is damaged. */
  public record Line(long number, String text) {
    public boolean damaged() {
      return text == null;
    }
  }

  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long number;

  private TextLines(InputStream in) {
    this.in = in;
  }

  public static TextLines open(Path file) throws IOException {
    return new TextLines(new BufferedInputStream(Files.newInputStream(file)));
  }

  /** Every line of {@code file}, damaged ones among them; none when it does not exist. */
  public static List<Line> all(Path file) throws IOException {
    List<Line> lines = new ArrayList<>();
    if (!Files.exists(file)) return lines;
    try (TextLines t = open(file)) {
      for (Line l = t.next(); l != null; l = t.next()) lines.add(l);
    }
    return lines;
  }

  /** The next line, without its end ({@code \n}, or {@code \r\n}); null at the end of the file. */
  public Line next() throws IOException {
    line.reset();
    boolean tooLong = false;
    int b = in.read();
    if (b < 0) return null;
    for (; b >= 0 && b != '\n'; b = in.read()) {
      if (line.size() < MAX_LINE_BYTES) line.write(b);
      else tooLong = true;
    }
    number++;
    if (tooLong) return new Line(number, null);
    byte[] bytes = line.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    try {
      return new Line(number, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString());
    } catch (CharacterCodingException notUtf8) {
      return new Line(number, null);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
