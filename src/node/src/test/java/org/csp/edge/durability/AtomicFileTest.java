package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data-directory file replaced whole, by several writers at once, or not at all when a writer gives up. */
class AtomicFileTest {
  @TempDir
  Path dir;

  @Test
  void writersOfOneFileAtOnceNeverFailAndLeaveOneWholeContent() throws Exception {
    Path file = dir.resolve("silences.json");
    int writers = 4;
    int rounds = 200;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String content = String.valueOf((char) ('a' + w)).repeat(10_000 + w);
        done.add(pool.submit(() -> {
          for (int i = 0; i < rounds; i++) AtomicFile.writeString(file, content);
          return null;
        }));
      }
      for (int i = 0; i < rounds; i++) {
        if (Files.exists(file)) assertWhole(Files.readString(file, StandardCharsets.UTF_8));
      }
      for (Future<?> f : done) f.get(); // a writer that tripped over another's temporary file fails here
    } finally {
      pool.shutdownNow();
    }
    assertWhole(Files.readString(file, StandardCharsets.UTF_8));
    assertEquals(List.of(file), listed(), "no temporary file left behind");
  }

  @Test
  void aReplacementNotCommittedLeavesTheOldFileAndNoTemporaryFile() throws Exception {
    Path file = dir.resolve("data").resolve("outbox-spill.ndjson");
    AtomicFile.writeString(file, "old\n");
    try (AtomicFile.Replacement r = AtomicFile.replace(file)) {
      r.text().write("new, but the writer gave up\n");
    }
    assertEquals("old\n", Files.readString(file));
    assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
      out.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("the disk is full");
    }));
    assertEquals("old\n", Files.readString(file), "a failed write leaves the old content");
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertEquals(List.of(file), s.toList());
    }
  }

  @Test
  void leftoversOfWritesCutShortAreRemovedAtStartAndNothingElse() throws Exception {
    Path spill = dir.resolve("outbox-spill.ndjson");
    Path inventory = dir.resolve("inventory").resolve("devices.bin");
    AtomicFile.writeString(spill, "whole\n");
    AtomicFile.writeString(inventory, "whole");
    Path cutShort = Files.writeString(dir.resolve("outbox-spill.ndjson.8815502817271562207.tmp"), "half");
    Path cutShortBelow = Files.writeString(inventory.resolveSibling("devices.bin.42.tmp"), "half");
    Path notOurs = Files.writeString(dir.resolve("notes.tmp"), "an operator's");
    assertEquals(2, AtomicFile.removeLeftovers(dir));
    assertTrue(Files.notExists(cutShort) && Files.notExists(cutShortBelow));
    assertEquals("whole\n", Files.readString(spill));
    assertEquals("whole", Files.readString(inventory));
    assertTrue(Files.exists(notOurs), "not a temporary file of this writer's naming");
    assertEquals(0, AtomicFile.removeLeftovers(dir.resolve("absent")));
  }

  private static void assertWhole(String content) {
    assertTrue(!content.isEmpty() && content.chars().allMatch(c -> c == content.charAt(0))
        && content.length() == 10_000 + content.charAt(0) - 'a', "one writer's content, whole: " + content.length() + " chars");
  }

  private List<Path> listed() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
