package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.durability.JournalRecord.Family;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compaction copies bytes by position: what a restart reads after any number of compactions is what reading every
 * record ever appended, in order, would give. Random histories of images in every form, changes of both families,
 * removals, over few keys or many and small segments, so that each key crosses many compactions.
 */
class CompactionTest {
  private static final NodeConfig.Durability SMALL = new NodeConfig.Durability(true, null, 4096);
  private static final Family[] FAMILIES = Family.values();

  @TempDir Path dir;
  private final OpenedJournals journals = new OpenedJournals();

  @AfterEach
  void closeJournals() {
    journals.close();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void whatARestartReadsAfterCompactionsIsWhatEveryRecordInOrderGives(long seed) throws Exception {
    // Few keys: each has records in every segment; many: some have only changes between two compactions.
    compactAndRestart(seed, seed % 2 == 0 ? 7 : 300, 3000, SMALL);
  }

  @ParameterizedTest
  @ValueSource(longs = {12, 13})
  void aCompactionOfMoreSlotsThanItsIndexStartsWithReadsTheSame(long seed) throws Exception {
    // More keys than the index's first 4,096 slots and records, in segments that each hold thousands of records
    // (its growth, which the small segments above never reach). Distinct hashes: 20,000 alike would take seconds.
    compactAndRestart(seed, 20_000, 40_000, new NodeConfig.Durability(true, null, 2 * 1024 * 1024));
  }

  private void compactAndRestart(long seed, int keys, int appends, NodeConfig.Durability settings) throws Exception {
    Random random = new Random(seed);
    // Keys that all hash alike, for half the seeds: slots are told apart by their bytes, not their hash.
    boolean alike = seed % 4 >= 2;
    Journal j = journals.open(dir, settings);
    Recovered everyRecord = new Recovered();
    for (int i = 0; i < appends; i++) {
      Family family = FAMILIES[random.nextInt(FAMILIES.length)];
      int k = random.nextInt(keys);
      String key = alike ? alike(k) : "key-" + k;
      boolean removal = random.nextInt(10) == 0; // a change's removal too, which a restart ignores
      byte[] image = removal ? null : new byte[1 + random.nextInt(random.nextInt(20) == 0 ? 3000 : 120)];
      if (image != null) random.nextBytes(image);
      JournalRecord r = new JournalRecord(family, key, image);
      j.append(r);
      everyRecord.add(r);
      if (random.nextInt(200) == 0) j.awaitCompaction(Duration.ofSeconds(10)); // a compaction over another's output
    }
    j.awaitCompaction(Duration.ofSeconds(10));
    assertTrue(Segments.list(dir).size() < 10, "compacted: " + Segments.list(dir));

    Recovered restart = journals.open(dir, settings).recovered();
    for (Family f : FAMILIES) {
      assertEquals(hex(everyRecord.of(f)), hex(restart.of(f)), "images of " + f + ", seed " + seed);
      assertEquals(hexLists(everyRecord.changesOf(f)), hexLists(restart.changesOf(f)), "changes of " + f);
    }
    assertEquals(0, restart.cutBytes());
  }

  @Test
  void aWindowSmallerThanARecordReadsWhatAWholeReadDoesAndStopsAtACut() throws Exception {
    Journal j = journals.open(dir, new NodeConfig.Durability(true, null, 1024 * 1024));
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      byte[] image = new byte[random.nextInt(400)];
      random.nextBytes(image);
      j.put(Family.HUB, "hub-" + i, image);
    }
    j.awaitCompaction(Duration.ofSeconds(10));
    Path segment = Segments.file(dir, Segments.list(dir).get(0));
    byte[] torn = {0, 0, 1, 0, 1, 2, 3}; // a length, and less than the record it promises: a write a crash cut
    Files.write(segment, torn, StandardOpenOption.APPEND);

    List<String> whole = new ArrayList<>();
    Segments.Read expected = new SegmentRecords(Math.toIntExact(Files.size(segment))).read(segment, collect(whole));
    for (int window : new int[] {1, 7, 64, 333, 4096}) {
      List<String> windowed = new ArrayList<>();
      Segments.Read read = new SegmentRecords(window).read(segment, collect(windowed));
      assertEquals(whole, windowed, "window of " + window + " bytes");
      assertEquals(expected, read);
    }
    assertEquals(500, expected.records());
    assertEquals(torn.length, expected.cutBytes());
  }

  /** Key number {@code k} as blocks "Aa" and "BB" (0 and 1 bits): Strings of the same length whose hashes are equal. */
  private static String alike(int k) {
    StringBuilder key = new StringBuilder("key-");
    for (int bit = 8; bit >= 0; bit--) key.append((k >> bit & 1) == 0 ? "Aa" : "BB");
    return key.toString();
  }

  private static SegmentRecords.Visitor collect(List<String> into) {
    return (in, start, end, offset) -> {
      JournalRecord r = JournalRecord.decode(in.slice(start, end - start));
      into.add(offset + " " + r.key() + " " + HexFormat.of().formatHex(r.image()));
    };
  }

  private static Map<String, String> hex(Map<String, byte[]> images) {
    Map<String, String> out = new TreeMap<>();
    images.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
    return out;
  }

  private static Map<String, List<String>> hexLists(Map<String, List<byte[]>> changes) {
    Map<String, List<String>> out = new TreeMap<>();
    changes.forEach((k, v) -> out.put(k, v.stream().map(HexFormat.of()::formatHex).toList()));
    return out;
  }
}
