package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.durability.JournalRecord.Family;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  private static final NodeConfig.Durability SETTINGS = new NodeConfig.Durability(true, Duration.ofSeconds(1), 64 * 1024);

  @TempDir Path dir;
  private final OpenedJournals journals = new OpenedJournals();

  @AfterEach
  void closeJournals() {
    journals.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Waits for what was appended to be written, as an acknowledgement does: a killed process then keeps it. */
  static void written(Journal j) {
    j.written().toCompletableFuture().join();
  }

  @Test
  void theNewestRecordOfEachKeyIsReadBackAndARemovalForgetsIt() throws Exception {
    // Not closed: a killed process closes nothing.
    Journal j = journals.open(dir, SETTINGS);
    j.put(Family.HUB, "hub-a", bytes("a1"));
    j.put(Family.HUB, "hub-b", bytes("b1"));
    j.put(Family.HUB, "hub-a", bytes("a2"));
    j.put(Family.GROUP, "hub-a", bytes("group of the same key, another family"));
    j.put(Family.HUB, "hub-c", bytes("c1"));
    j.remove(Family.HUB, "hub-c");
    written(j);

    Recovered r = journals.open(dir, SETTINGS).recovered();
    Map<String, byte[]> hubs = r.of(Family.HUB);
    assertEquals(List.of("hub-a", "hub-b"), List.copyOf(new java.util.TreeSet<>(hubs.keySet())));
    assertEquals("a2", text(hubs.get("hub-a")));
    assertEquals("b1", text(hubs.get("hub-b")));
    assertEquals("group of the same key, another family", text(r.of(Family.GROUP).get("hub-a")));
    assertEquals(0, r.cutBytes());
  }

  @Test
  void aRecordCutByACrashIsSkippedAndEverythingBeforeItIsKept() throws Exception {
    Journal j = journals.open(dir, SETTINGS);
    j.put(Family.HUB, "hub-a", bytes("a1"));
    j.put(Family.HUB, "hub-a", bytes("a2 the last whole one"));
    j.put(Family.HUB, "hub-b", bytes("b1, to be cut"));
    written(j);
    Path segment = Segments.file(dir, Segments.list(dir).get(0));
    long size = Files.size(segment);
    // The crash cut the last record three bytes short, then a torn write left garbage of a plausible length.
    try (var c = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
      c.truncate(size - 3);
    }
    Recovered r = journals.open(dir, SETTINGS).recovered();
    assertEquals("a2 the last whole one", text(r.of(Family.HUB).get("hub-a")));
    assertFalse(r.of(Family.HUB).containsKey("hub-b"));
    assertTrue(r.cutBytes() > 0);

    // A flipped byte inside a whole-length record fails its checksum: also where reading stops.
    Path other = dir.resolve("other");
    Journal k = journals.open(other, SETTINGS);
    k.put(Family.HUB, "hub-a", bytes("kept"));
    k.put(Family.HUB, "hub-a", bytes("corrupt"));
    written(k);
    Path seg = Segments.file(other, Segments.list(other).get(0));
    byte[] all = Files.readAllBytes(seg);
    all[all.length - 2] ^= 0x40;
    Files.write(seg, all);
    assertEquals("kept", text(journals.open(other, SETTINGS).recovered().of(Family.HUB).get("hub-a")));
  }

  /**
   * Bytes damaged in the middle of a segment (a flipped run, a zeroed page) cost only the records they hit: reading
   * finds the next whole record after them, restores everything after, and counts the damage apart from a cut tail.
   */
  @Test
  void damageInTheMiddleOfASegmentCostsOnlyTheRecordsItHits() throws Exception {
    int hubs = 2000;
    // One segment, which no compaction rewrites while the test damages it.
    NodeConfig.Durability oneSegment = new NodeConfig.Durability(true, Duration.ofSeconds(1), 16 * 1024 * 1024);
    for (int damage = 0; damage < 3; damage++) {
      Path d = dir.resolve("damage-" + damage);
      Journal j = journals.open(d, oneSegment);
      for (int i = 0; i < hubs; i++) j.put(Family.HUB, "hub-" + i, bytes("image of hub " + i + " ".repeat(i % 50)));
      written(j);
      Path segment = Segments.file(d, Segments.list(d).get(0));
      byte[] all = Files.readAllBytes(segment);
      int middle = all.length / 2;
      switch (damage) {
        case 0 -> { for (int b = middle; b < middle + 16; b++) all[b] ^= (byte) 0x5A; } // a flipped run
        case 1 -> java.util.Arrays.fill(all, middle, middle + 4096, (byte) 0); // a zeroed page
        default -> all[middle] ^= 0x01; // one bit
      }
      Files.write(segment, all);

      assertEquals(1, Segments.list(d).size());
      Recovered r = journals.open(d, oneSegment).recovered();
      Map<String, byte[]> images = r.of(Family.HUB);
      int lost = hubs - images.size();
      assertTrue(lost >= 1 && lost <= 80, "damage " + damage + ": only the records it hit are lost: " + lost);
      assertTrue(images.containsKey("hub-0") && images.containsKey("hub-" + (hubs - 1)), "before and after it");
      for (var e : images.entrySet()) {
        int i = Integer.parseInt(e.getKey().substring(4));
        assertEquals("image of hub " + i + " ".repeat(i % 50), text(e.getValue()), "restored as written");
      }
      assertTrue(r.damagedBytes() > 0, "counted as damage");
      assertEquals(0, r.cutBytes(), "not a cut tail");
    }
  }

  /** The same in a compaction's output, read by a start after that journal stopped. */
  @Test
  void damageInACompactedSegmentCostsOnlyTheRecordsItHits() throws Exception {
    int hubs = 3000;
    Journal j = journals.open(dir, SETTINGS); // 64 KiB segments: several rolls, compacted into one
    for (int i = 0; i < hubs; i++) j.put(Family.HUB, "hub-" + i, bytes("image of hub " + i + " ".repeat(i % 50)));
    written(j);
    j.awaitCompaction(Duration.ofSeconds(10));
    j.close();
    Path largest = null;
    for (long sequence : Segments.list(dir)) {
      Path f = Segments.file(dir, sequence);
      if (largest == null || Files.size(f) > Files.size(largest)) largest = f;
    }
    byte[] all = Files.readAllBytes(largest);
    for (int b = all.length / 2; b < all.length / 2 + 16; b++) all[b] ^= (byte) 0x5A;
    Files.write(largest, all);

    Recovered r = journals.open(dir, SETTINGS).recovered();
    int lost = hubs - r.of(Family.HUB).size();
    assertTrue(lost >= 1 && lost <= 40, "only the records it hit are lost: " + lost);
    assertTrue(r.damagedBytes() > 0);
  }

  @Test
  void aStartRemovesTheOutputOfACompactionACrashCutShort() throws Exception {
    Journal j = journals.open(dir, SETTINGS);
    j.put(Family.HUB, "hub-a", bytes("a1"));
    written(j);
    Path aside = dir.resolve(Segments.file(dir, Segments.list(dir).get(0)).getFileName() + Segments.COMPACTING_SUFFIX);
    Files.write(aside, bytes("half a compaction"));
    Recovered r = journals.open(dir, SETTINGS).recovered();
    assertEquals("a1", text(r.of(Family.HUB).get("hub-a")));
    assertFalse(Files.exists(aside), "its segments are all there: the unfinished output is removed");
  }

  @Test
  void compactionKeepsTheNewestLiveRecordsAndDropsOldSegmentsWhileAppendsGoOn() throws Exception {
    NodeConfig.Durability small = new NodeConfig.Durability(true, null, 4096);
    Journal j = journals.open(dir, small);
    byte[] filler = new byte[300];
    for (int round = 0; round < 50; round++) {
      for (int hub = 0; hub < 10; hub++) {
        byte[] image = new byte[filler.length + 8];
        System.arraycopy(bytes(String.format("%04d%04d", hub, round)), 0, image, 0, 8);
        j.put(Family.HUB, "hub-" + hub, image);
      }
      j.put(Family.HUB, "gone-" + round, bytes("x"));
      j.remove(Family.HUB, "gone-" + round);
    }
    j.awaitCompaction(Duration.ofSeconds(10));
    List<Long> segments = Segments.list(dir);
    // 50 rounds of ~3.4 KB make ~40 segments of 4 KB; compaction folded the closed ones.
    assertTrue(segments.size() <= 4, "segments after compaction: " + segments);
    assertEquals(50L * 12, j.appended(), "every append was taken");

    Map<String, byte[]> hubs = journals.open(dir, small).recovered().of(Family.HUB);
    assertEquals(10, hubs.size(), "removed keys stay removed: " + hubs.keySet());
    for (int hub = 0; hub < 10; hub++) {
      assertArrayEquals(bytes(String.format("%04d%04d", hub, 49)), java.util.Arrays.copyOf(hubs.get("hub-" + hub), 8));
    }
  }

  @Test
  void compactionWritesRecordsLargerThanItsWriteBufferBetweenSmallOnes() throws Exception {
    NodeConfig.Durability small = new NodeConfig.Durability(true, null, 4096);
    Journal j = journals.open(dir, small);
    byte[] large = new byte[3 * 1024 * 1024 / 2]; // past the 1 MiB that compaction gathers before a write
    java.util.Arrays.fill(large, (byte) 7);
    for (int round = 0; round < 20; round++) {
      j.put(Family.HUB, "small-" + round, bytes("s" + round));
      if (round == 10) j.put(Family.HUB, "large", large);
    }
    for (int round = 0; round < 20; round++) j.put(Family.HUB, "later-" + round, new byte[1000]); // more rolls
    j.awaitCompaction(Duration.ofSeconds(10));
    Map<String, byte[]> hubs = journals.open(dir, small).recovered().of(Family.HUB);
    assertEquals(41, hubs.size());
    assertArrayEquals(large, hubs.get("large"));
    for (int round = 0; round < 20; round++) assertArrayEquals(bytes("s" + round), hubs.get("small-" + round));
  }

  @Test
  void changesFollowTheNewestImageOfTheirKeyInOrderThroughCompaction() throws Exception {
    NodeConfig.Durability small = new NodeConfig.Durability(true, null, 4096);
    Journal j = journals.open(dir, small);
    j.put(Family.HUB_CHANGE, "hub-new", bytes("n1")); // a hub's first operations, before any image of it
    j.put(Family.HUB, "hub-a", bytes("a1"));
    j.put(Family.HUB_CHANGE, "hub-a", bytes("lost with a1"));
    j.put(Family.HUB, "hub-a", bytes("a2"));
    j.put(Family.HUB_CHANGE, "hub-gone", bytes("g1"));
    j.remove(Family.HUB, "hub-gone");
    byte[] filler = new byte[300];
    for (int i = 0; i < 100; i++) {
      j.put(Family.HUB_CHANGE, "hub-a", bytes(String.format("%03d", i)));
      j.put(Family.GROUP, "filler", filler); // rolls segments, so that compaction runs over the changes
    }
    j.awaitCompaction(Duration.ofSeconds(10));
    assertTrue(Segments.list(dir).size() <= 4, "compacted: " + Segments.list(dir));

    Recovered r = journals.open(dir, small).recovered();
    assertEquals("a2", text(r.of(Family.HUB).get("hub-a")));
    List<String> changes = r.changesOf(Family.HUB_CHANGE).get("hub-a").stream().map(JournalTest::text).toList();
    assertEquals(100, changes.size(), "every change after a2, none before it: " + changes);
    for (int i = 0; i < 100; i++) assertEquals(String.format("%03d", i), changes.get(i));
    assertEquals(List.of("n1"), r.changesOf(Family.HUB_CHANGE).get("hub-new").stream().map(JournalTest::text).toList());
    assertFalse(r.changesOf(Family.HUB_CHANGE).containsKey("hub-gone"), "a removal ends the changes too");
  }

  @Test
  void aCompactionOverAnEarlierOnesOutputDropsWhatTheNewerSegmentsMadeStale() throws Exception {
    NodeConfig.Durability small = new NodeConfig.Durability(true, null, 4096);
    Journal j = journals.open(dir, small);
    byte[] filler = new byte[1000];
    j.put(Family.HUB, "replaced", bytes("r1"));
    j.put(Family.HUB_CHANGE, "replaced", bytes("stale change"));
    j.put(Family.HUB, "removed", bytes("x1"));
    j.put(Family.HUB, "kept", bytes("k1"));
    j.put(Family.HUB_CHANGE, "kept", bytes("k-change-1"));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // rolls: the first compaction's output
    j.awaitCompaction(Duration.ofSeconds(10));
    // Newer segments over that output: a new image, a removal, a change after an image of the output.
    j.put(Family.HUB, "replaced", bytes("r2"));
    j.remove(Family.HUB, "removed");
    j.put(Family.HUB_CHANGE, "kept", bytes("k-change-2"));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler);
    j.awaitCompaction(Duration.ofSeconds(10));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // and once more over that one's output
    j.awaitCompaction(Duration.ofSeconds(10));

    Recovered r = journals.open(dir, small).recovered();
    assertEquals("r2", text(r.of(Family.HUB).get("replaced")));
    assertFalse(r.changesOf(Family.HUB_CHANGE).containsKey("replaced"), "a newer image ends the older changes");
    assertFalse(r.of(Family.HUB).containsKey("removed"));
    assertEquals("k1", text(r.of(Family.HUB).get("kept")));
    assertEquals(List.of("k-change-1", "k-change-2"),
        r.changesOf(Family.HUB_CHANGE).get("kept").stream().map(JournalTest::text).toList());
    assertTrue(r.records() < 12, "compacted to the live records: " + r.records());
  }

  @Test
  void aHubsTwoFormsShareItsSlotSoTheNewerIsItsImageThroughCompaction() throws Exception {
    NodeConfig.Durability small = new NodeConfig.Durability(true, null, 4096);
    Journal j = journals.open(dir, small);
    byte[] filler = new byte[1000];
    j.put(Family.HUB, "to-packed", bytes("c1"));
    j.put(Family.HUB_CHANGE, "to-packed", bytes("ended by the packed image"));
    j.put(Family.HUB_PACKED, "to-packed", bytes("p1"));
    j.put(Family.HUB_PACKED, "to-compact", bytes("p1"));
    j.put(Family.HUB, "to-compact", bytes("c2"));
    j.put(Family.HUB_CHANGE, "to-compact", bytes("after c2"));
    j.put(Family.HUB_PACKED, "removed", bytes("p1"));
    j.remove(Family.HUB, "removed"); // a hub forgotten: whichever form it was in
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // rolls: a compaction over them
    j.awaitCompaction(Duration.ofSeconds(10));
    j.put(Family.HUB_PACKED, "packed-later", bytes("p2"));
    j.put(Family.HUB, "packed-later", bytes("c3 newer"));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // and one over that one's output
    j.awaitCompaction(Duration.ofSeconds(10));

    Recovered r = journals.open(dir, small).recovered();
    assertEquals(Map.of("to-packed", "p1"), texts(r.of(Family.HUB_PACKED)));
    assertEquals(Map.of("to-compact", "c2", "packed-later", "c3 newer"), texts(r.of(Family.HUB)));
    assertFalse(r.changesOf(Family.HUB_CHANGE).containsKey("to-packed"), "the packed image ends the changes before it");
    assertEquals(List.of("after c2"), r.changesOf(Family.HUB_CHANGE).get("to-compact").stream().map(JournalTest::text).toList());
  }

  @Test
  void aHubsChangesOfBothFamiliesFollowItsRawImageInTheirOrderThroughCompaction() throws Exception {
    NodeConfig.Durability small = new NodeConfig.Durability(true, null, 4096);
    Journal j = journals.open(dir, small);
    byte[] filler = new byte[1000];
    j.put(Family.HUB_RAW, "storming", bytes("r1"));
    j.put(Family.HUB_DECISION, "storming", bytes("ended by r2"));
    j.put(Family.HUB_RAW, "storming", bytes("r2"));
    j.put(Family.HUB_DECISION, "storming", bytes("d1"));
    j.put(Family.HUB_CHANGE, "storming", bytes("s1"));
    j.put(Family.HUB_DECISION, "storming", bytes("d2"));
    j.put(Family.HUB, "to-raw", bytes("c1"));
    j.put(Family.HUB_CHANGE, "to-raw", bytes("ended by the raw image"));
    j.put(Family.HUB_RAW, "to-raw", bytes("r1"));
    j.put(Family.HUB_RAW, "to-packed", bytes("r1"));
    j.put(Family.HUB_PACKED, "to-packed", bytes("p1"));
    j.put(Family.HUB_RAW, "removed", bytes("r1"));
    j.remove(Family.HUB, "removed"); // a hub forgotten: whichever form it was in
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // rolls: a compaction over them
    j.awaitCompaction(Duration.ofSeconds(10));
    j.put(Family.HUB_DECISION, "storming", bytes("d3"));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // and one over that one's output
    j.awaitCompaction(Duration.ofSeconds(10));

    Recovered r = journals.open(dir, small).recovered();
    assertEquals(Map.of("storming", "r2", "to-raw", "r1"), texts(r.of(Family.HUB_RAW)));
    assertEquals(Map.of("to-packed", "p1"), texts(r.of(Family.HUB_PACKED)));
    assertEquals(Map.of(), texts(r.of(Family.HUB)));
    Map<String, List<JournalRecord>> changes = r.changesAfter(Family.HUB);
    assertEquals(List.of("storming"), List.copyOf(changes.keySet()), "an image in any form ends the changes before it");
    assertEquals(List.of("HUB_DECISION d1", "HUB_CHANGE s1", "HUB_DECISION d2", "HUB_DECISION d3"),
        changes.get("storming").stream().map(c -> c.family() + " " + text(c.image())).toList());
  }

  private static Map<String, String> texts(Map<String, byte[]> images) {
    Map<String, String> out = new java.util.HashMap<>();
    images.forEach((k, v) -> out.put(k, text(v)));
    return out;
  }

  @Test
  void aRestartWritesWhatIsStillOwedAgainAndDropsTheEarlierRunsSegments() throws Exception {
    Journal first = journals.open(dir, SETTINGS);
    first.put(Family.HUB, "hub-a", bytes("a1"));
    first.put(Family.COUNTS, "boot-1", bytes("{}"));
    written(first);
    Journal second = journals.open(dir, SETTINGS);
    assertEquals("a1", text(second.recovered().of(Family.HUB).get("hub-a")));
    second.put(Family.HUB, "hub-a", bytes("a1")); // restored: written again in this run
    second.dropEarlierSegments();
    assertEquals(1, Segments.list(dir).size());
    Recovered third = journals.open(dir, SETTINGS).recovered();
    assertEquals("a1", text(third.of(Family.HUB).get("hub-a")));
    assertFalse(third.of(Family.COUNTS).containsKey("boot-1"), "what was not written again is gone with its segment");
  }

  @Test
  void offKeepsNothingAndADiscardedJournalReadsBackEmpty() throws Exception {
    Journal off = Journal.off();
    off.put(Family.HUB, "hub-a", bytes("a1"));
    assertFalse(off.on());
    assertEquals(0, off.appended());

    Journal j = journals.open(dir, SETTINGS);
    j.put(Family.HUB, "hub-a", bytes("a1"));
    j.discard();
    assertTrue(journals.open(dir, SETTINGS).recovered().isEmpty());
  }

  @Test
  void recordsAppendedBeforeTheBarrierAreInTheSegmentFilesWhenItCompletes() throws Exception {
    // Several appenders at once, as the partition threads and the intakes are, past the bound of pending bytes.
    NodeConfig.Durability bounded = new NodeConfig.Durability(true, null, 1024 * 1024, 4, 4096);
    Journal j = journals.open(dir, bounded);
    int threads = 4, each = 500;
    List<Thread> appenders = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      appenders.add(new Thread(() -> {
        for (int i = 0; i < each; i++) j.put(Family.HUB, "hub-" + thread + "-" + i, new byte[200]);
      }));
    }
    appenders.forEach(Thread::start);
    for (Thread t : appenders) t.join();
    j.put(Family.COUNTS, "boot-1", bytes("the last one before the barrier"));
    j.written().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);

    // Read as a restart after a kill would: the files alone, the journal left open and unclosed.
    Recovered r = new Recovered();
    for (long s : Segments.list(dir)) Segments.read(Segments.file(dir, s), r);
    assertEquals(threads * each, r.of(Family.HUB).size(), "every record appended before the barrier, none dropped");
    assertEquals("the last one before the barrier", text(r.of(Family.COUNTS).get("boot-1")));
    assertEquals(threads * each + 1, j.appended());
    assertEquals(0, j.writeFailures());
  }

  @Test
  void aFailedWriteFailsTheBarrierAndEveryLaterOne() throws Exception {
    // A device that refuses every write (ENOSPC) in place of the segment: a full disk.
    Journal j = journals.open(dir, SETTINGS, file -> java.nio.channels.FileChannel.open(Path.of("/dev/full"),
        StandardOpenOption.WRITE));
    j.put(Family.HUB, "hub-a", bytes("a1"));
    java.util.concurrent.CompletableFuture<Void> barrier = j.written().toCompletableFuture();
    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> barrier.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof java.io.IOException, "the write's failure: " + failed.getCause());
    assertEquals(1, j.writeFailures());
    j.put(Family.HUB, "hub-b", bytes("b1")); // does not wait for a writer that stopped
    assertTrue(j.written().toCompletableFuture().isCompletedExceptionally(), "nothing later is promised either");
    j.close();
  }

  /** A directory named as a segment is refused by name, not with the bare "Is a directory" of opening it. */
  @Test
  void aDirectoryNamedAsASegmentIsRefusedSayingWhatAndWhere() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("journal-0000000000000002.log"));
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> journals.open(dir, SETTINGS));
    assertTrue(e.getMessage().contains("journal-0000000000000002.log is named as a journal segment but is not a file")
        && e.getMessage().contains("move it out of " + dir), e.getMessage());
  }

  /**
   * A disk that takes the writes but fails to force them (a thin volume out of space, an I/O error): the journal stops
   * as for a failed write. Before, the failure was a WARN a second while the node went on acknowledging.
   */
  @Test
  void aFailedForceStopsTheJournalAsAFailedWriteDoes() throws Exception {
    Journal j = journals.open(dir, SETTINGS, file -> new FaultyChannel(java.nio.channels.FileChannel.open(file,
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), true));
    j.put(Family.HUB, "hub-a", bytes("a1"));
    j.written().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS); // the write itself succeeds
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (j.writeFailures() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(1, j.writeFailures(), "the failed force stops the journal (once)");
    j.put(Family.HUB, "hub-b", bytes("b1"));
    assertTrue(j.written().toCompletableFuture().isCompletedExceptionally(), "nothing later is promised");
    j.close();
  }

  /**
   * A disk that fills in the middle of a write: the kernel takes part of the batch, and the next write fails. What
   * the disk took must not be restored: whole records of a batch whose barriers failed stand for messages that were
   * never acknowledged, and their resends would be counted again (the probe's DSP: 3,031 for 3,000).
   */
  @Test
  void aWriteTheDiskTookInPartIsCutBackAndNotRestored() throws Exception {
    java.util.concurrent.atomic.AtomicReference<FaultyChannel> segment = new java.util.concurrent.atomic.AtomicReference<>();
    Journal j = journals.open(dir, SETTINGS, file -> {
      FaultyChannel c = new FaultyChannel(java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND), false);
      segment.set(c);
      return c;
    });
    j.put(Family.HUB, "hub-a", bytes("acknowledged"));
    j.written().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    segment.get().room = 300; // the next batch: a small record whole, then the disk is full inside the large one
    j.put(Family.HUB, "hub-b", bytes("never acknowledged"));
    j.put(Family.HUB, "hub-c", new byte[4000]);
    java.util.concurrent.CompletableFuture<Void> barrier = j.written().toCompletableFuture();
    org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
        () -> barrier.get(10, java.util.concurrent.TimeUnit.SECONDS));
    j.close();
    Recovered r = journals.open(dir, SETTINGS).recovered();
    assertEquals("acknowledged", text(r.of(Family.HUB).get("hub-a")));
    assertEquals(null, r.of(Family.HUB).get("hub-b"), "the record of a batch whose barrier failed is not restored");
    assertEquals(0, r.cutBytes(), "nothing left of it to skip");
  }

  /** A segment whose force fails ({@code failForce}), or whose writes stop after {@link #room} more bytes. */
  private static final class FaultyChannel extends java.nio.channels.FileChannel {
    private final java.nio.channels.FileChannel inner;
    private final boolean failForce;
    volatile long room = Long.MAX_VALUE;

    FaultyChannel(java.nio.channels.FileChannel inner, boolean failForce) {
      this.inner = inner;
      this.failForce = failForce;
    }

    @Override
    public void force(boolean metaData) throws java.io.IOException {
      if (failForce) throw new java.io.IOException("No space left on device");
      inner.force(metaData);
    }

    @Override
    public int read(java.nio.ByteBuffer dst) throws java.io.IOException {
      return inner.read(dst);
    }

    @Override
    public long read(java.nio.ByteBuffer[] dsts, int offset, int length) throws java.io.IOException {
      return inner.read(dsts, offset, length);
    }

    @Override
    public int write(java.nio.ByteBuffer src) throws java.io.IOException {
      if (room <= 0) throw new java.io.IOException("No space left on device");
      if (src.remaining() <= room) {
        int n = inner.write(src);
        room -= n;
        return n;
      }
      java.nio.ByteBuffer part = src.duplicate();
      part.limit(part.position() + (int) room);
      int n = inner.write(part);
      src.position(src.position() + n);
      room -= n;
      return n;
    }

    @Override
    public long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws java.io.IOException {
      return inner.write(srcs, offset, length);
    }

    @Override
    public long position() throws java.io.IOException {
      return inner.position();
    }

    @Override
    public java.nio.channels.FileChannel position(long newPosition) throws java.io.IOException {
      inner.position(newPosition);
      return this;
    }

    @Override
    public long size() throws java.io.IOException {
      return inner.size();
    }

    @Override
    public java.nio.channels.FileChannel truncate(long size) throws java.io.IOException {
      inner.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) throws java.io.IOException {
      return inner.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) throws java.io.IOException {
      return inner.transferFrom(src, position, count);
    }

    @Override
    public int read(java.nio.ByteBuffer dst, long position) throws java.io.IOException {
      return inner.read(dst, position);
    }

    @Override
    public int write(java.nio.ByteBuffer src, long position) throws java.io.IOException {
      return inner.write(src, position);
    }

    @Override
    public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) throws java.io.IOException {
      return inner.map(mode, position, size);
    }

    @Override
    public java.nio.channels.FileLock lock(long position, long size, boolean shared) throws java.io.IOException {
      return inner.lock(position, size, shared);
    }

    @Override
    public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) throws java.io.IOException {
      return inner.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws java.io.IOException {
      inner.close();
    }
  }

  @Test
  void closeWritesWhatWasPendingBeforeItCloses() throws Exception {
    Journal j = journals.open(dir, SETTINGS);
    for (int i = 0; i < 2000; i++) j.put(Family.HUB, "hub-" + i, new byte[100]);
    j.close();
    j.put(Family.HUB, "after-close", bytes("a clean stop journals nothing more"));
    assertTrue(j.written().toCompletableFuture().isDone(), "a closed journal owes nothing");
    Recovered r = journals.open(dir, SETTINGS).recovered();
    assertEquals(2000, r.of(Family.HUB).size());
    assertEquals(0, r.cutBytes());
  }

  @Test
  void aBarrierAskedWhileNoOneWritesIsWrittenByTheThreadAskingIt() throws Exception {
    // At low rates an acknowledgement then waits for no other thread: the barrier is done when it is returned.
    Journal j = journals.open(dir, SETTINGS);
    for (int round = 0; round < 50; round++) {
      j.put(Family.HUB, "hub-" + round, bytes("state " + round));
      java.util.concurrent.CompletableFuture<Void> barrier = j.written().toCompletableFuture();
      assertTrue(barrier.isDone() && !barrier.isCompletedExceptionally(), "round " + round);
    }
    Recovered r = new Recovered();
    for (long s : Segments.list(dir)) Segments.read(Segments.file(dir, s), r);
    assertEquals(50, r.of(Family.HUB).size(), "in the segment files, as a restart after a kill reads them");
  }

  @Test
  void recordsNoBarrierAsksForAreWrittenSoonAllTheSame() throws Exception {
    Journal j = journals.open(dir, SETTINGS);
    j.put(Family.GROUP, "group-1", bytes("a group recorded by a sweep"));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Recovered r = new Recovered();
    while (System.nanoTime() < deadline) {
      r = new Recovered();
      for (long s : Segments.list(dir)) Segments.read(Segments.file(dir, s), r);
      if (!r.of(Family.GROUP).isEmpty()) break;
      Thread.sleep(5);
    }
    assertEquals("a group recorded by a sweep", text(r.of(Family.GROUP).get("group-1")), "written by the writer thread");
  }

  @Test
  void offCostsNothingAtTheBarrier() {
    assertTrue(Journal.off().written().toCompletableFuture().isDone());
  }

  @Test
  void appendsGoOnWhileAWriteWaitsForTheDisk() throws Exception {
    // A pipe nobody reads yet in place of the segment: the writer's write blocks, as on a stalled disk.
    Path fifo = dir.resolve("stalled");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    java.util.concurrent.CompletableFuture<java.nio.channels.FileChannel> reader =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return java.nio.channels.FileChannel.open(fifo, StandardOpenOption.READ);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 64 * 1024 * 1024);
    Journal j = journals.open(dir.resolve("journal"), settings,
        file -> java.nio.channels.FileChannel.open(fifo, StandardOpenOption.WRITE));
    int records = 1000; // about 1 MB: past the pipe's 64 KiB, within the pending bound
    Thread appender = new Thread(() -> {
      for (int i = 0; i < records; i++) j.put(Family.HUB, "hub-" + i, new byte[1000]);
    });
    appender.start();
    appender.join(10_000);
    assertFalse(appender.isAlive(), "the appends (a hub's partition thread) do not wait for the write");
    // Asked on a thread of its own: when no one writes yet, the thread asking writes itself, and stalls with the disk.
    java.util.concurrent.CompletableFuture<Void> barrier = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> j.written().toCompletableFuture().join());
    Thread.sleep(300);
    assertFalse(barrier.isDone(), "not written while the disk stalls");
    j.put(Family.HUB, "hub-during-the-stall", new byte[1000]);
    assertFalse(barrier.isDone(), "nor once more is appended");

    long owed = j.appendedBytes();
    java.nio.ByteBuffer into = java.nio.ByteBuffer.allocate(64 * 1024);
    long read = 0;
    try (java.nio.channels.FileChannel in = reader.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
      while (read < owed) {
        into.clear();
        int n = in.read(into);
        if (n < 0) break;
        read += n;
      }
      barrier.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertEquals(owed, read, "every record appended, once");
    j.close();
  }
}
