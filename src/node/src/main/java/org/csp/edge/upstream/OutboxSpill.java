package org.csp.edge.upstream;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the outbox goes when the node stops before the broker has taken everything: one event per line, written
 * to a temporary file and moved into place. The next start reads it back but leaves it in place until its own
 * stop rewrites it, so a crash in between resends (same event ids, dropped as repeats by the DSP) instead of
 * losing. Blocking: call it from a worker.
 */
public final class OutboxSpill {
  private final Path file;
  /** Events written to the spill file at a stop, and read back from it at a start (csp_outbox_spill_* metrics). */
  public final LongAdder spilled = new LongAdder();
  public final LongAdder replayed = new LongAdder();

  public OutboxSpill(Path dataDir) {
    this.file = dataDir.resolve("outbox-spill.ndjson");
  }

  public Path file() {
    return file;
  }

  /** Replaces the spill with {@code events}: what is still undelivered now, including anything read at start. */
  public void write(List<UpstreamEvent> events) throws IOException {
    if (events.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (UpstreamEvent e : events) {
        w.write(e.toSpillJson().encode());
        w.write('\n');
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    spilled.add(events.size());
  }

  /** The events spilled by an earlier run. */
  public List<UpstreamEvent> read() throws IOException {
    if (!Files.exists(file)) return List.of();
    List<UpstreamEvent> events = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) events.add(UpstreamEvent.fromSpillJson(new JsonObject(line)));
    }
    replayed.add(events.size());
    return events;
  }
}
