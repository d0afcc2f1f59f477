package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.support.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dead-letters list} on a file of more letters than its heap holds, as an operator runs it beside the node in
 * its pod: it lists them one at a time. Before, it read every letter into memory first and died of OutOfMemoryError
 * (300,000 letters in a 256 MiB heap in the probe), listing nothing.
 */
class DeadLettersAtScaleTest {
  private static final int LETTERS = 100_000;

  @Test
  void moreLettersThanTheHeapHoldsAreListed(@TempDir Path dataDir) throws Exception {
    Path file = dataDir.resolve("dead-letters").resolve("dead-letters.ndjson");
    Files.createDirectories(file.getParent());
    String padding = "x".repeat(200);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < LETTERS; i++) {
        JsonObject event = new JsonObject().put("eventId", "summary:north:" + i).put("type", "summary").put("count", 3)
            .put("note", padding);
        w.write(new JsonObject().put("topic", "dsp/north/summary/8F3E").put("event", event).put("why", "too large")
            .put("at", "2026-12-07T08:00:00Z").encode());
        w.write('\n');
      }
    }
    Path out = dataDir.resolve("list.out");
    Process p = new ProcessBuilder(NodeProcess.mainCommand(List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"),
        "dead-letters", "list", "--data-dir", dataDir.toString()))
        .redirectOutput(out.toFile()).redirectError(dataDir.resolve("list.err").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "list finished");
    assertEquals(0, p.exitValue(), Files.readString(dataDir.resolve("list.err")));
    // (the test class path's logging writes to stdout too: only the command's own lines are counted)
    try (var lines = Files.lines(out)) {
      assertEquals(LETTERS, lines.filter(l -> l.startsWith("summary:north:")).count(), "one line per letter");
    }
    try (var lines = Files.lines(out)) {
      assertTrue(lines.anyMatch(l -> l.startsWith(LETTERS + " dead letters in ")), "the count first");
    }
  }
}
