package org.csp.edge.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.durability.TextLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's copy of every policy version, in its data directory: one JSON line per version, appended and
 * forced to disk before the append returns, so that the versions survive a restart of the whole cluster. A line
 * that does not read (a crash while appending) is skipped with a warning: the other members' copies hold it.
 * Blocking; used from Hazelcast's event threads and from the start, never from an event loop.
 */
final class PolicyLog {
  private static final Logger log = LoggerFactory.getLogger(PolicyLog.class);
  static final String FILE_NAME = "policy-versions.jsonl";

  private final Path file;

  PolicyLog(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  List<PolicyVersion> read() throws IOException {
    List<PolicyVersion> versions = new ArrayList<>();
    if (!Files.exists(file)) return versions;
    for (TextLines.Line line : TextLines.all(file)) {
      if (!line.damaged() && line.text().isBlank()) continue;
      try {
        if (line.damaged()) throw new IllegalArgumentException("its bytes are not UTF-8 text");
        versions.add(PolicyVersion.decode(line.text()));
      } catch (RuntimeException e) {
        log.warn("policy: line {} of {} is not a policy version ({}); skipped", line.number(), file, e.toString());
      }
    }
    return versions;
  }

  synchronized void append(PolicyVersion version) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] line = (version.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long end = ch.size();
      // A line torn by a crash is ended first, so that it costs only itself.
      ByteBuffer last = ByteBuffer.allocate(1);
      if (end > 0 && ch.read(last, end - 1) == 1 && last.get(0) != '\n') {
        ch.write(ByteBuffer.wrap(new byte[] {'\n'}), end);
        end++;
      }
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) end += ch.write(buf, end);
      ch.force(true);
    }
  }
}
