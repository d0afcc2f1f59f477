package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.durability.JournalRecord.Family;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release rolled back to reads the journal a newer release wrote: records of a family it does not know are passed
 * over and counted, not taken for a crash's cut, so the known records after them are restored.
 */
class NewerReleaseJournalTest {
  /** A family code no release has used: a newer release's family, to this one. */
  private static final int NEWER_FAMILY = 99;
  /** Small segments, so that a few records roll and compact. */
  private static final NodeConfig.Durability SMALL = new NodeConfig.Durability(true, null, 4096);

  @TempDir Path dir;
  private final OpenedJournals journals = new OpenedJournals();

  @AfterEach
  void closeJournals() {
    journals.close();
  }

  @Test
  void recoveryPassesOverARecordOfAnUnknownFamilyAndKeepsTheRecordsAfterIt() throws Exception {
    Journal j = journals.open(dir, SMALL);
    j.put(Family.HUB, "hub-a", bytes("a1"));
    j.put(Family.HUB_CHANGE, "hub-a", bytes("a-change-1"));
    JournalTest.written(j);
    appendToActive(newerRecord(NEWER_FAMILY, "hub-a", bytes("what a newer release knows of hub-a")));
    j.put(Family.HUB, "hub-b", bytes("b1"));
    j.put(Family.HUB_CHANGE, "hub-a", bytes("a-change-2"));
    j.put(Family.COUNTS, "boot-1", bytes("{}"));
    JournalTest.written(j);

    Journal reopened = journals.open(dir, SMALL);
    Recovered r = reopened.recovered();
    assertEquals(Map.of("hub-a", "a1", "hub-b", "b1"), texts(r.of(Family.HUB)));
    assertEquals(List.of("a-change-1", "a-change-2"), changes(r, "hub-a"), "the unknown record ends no change");
    assertTrue(r.of(Family.COUNTS).containsKey("boot-1"));
    assertEquals(Map.of(NEWER_FAMILY, 1), r.unknownFamilies());
    assertEquals(Map.of(NEWER_FAMILY, 1L), reopened.unknownFamilies());
    assertEquals(1, reopened.unknownFamilyRecords());
    assertEquals(0, r.cutBytes(), "a whole record is not a cut");
  }

  @Test
  void compactionDropsRecordsOfAnUnknownFamilyAndKeepsTheKnownOnesAfterThem() throws Exception {
    Journal j = journals.open(dir, SMALL);
    byte[] filler = new byte[1000];
    j.put(Family.HUB, "before", bytes("b1"));
    JournalTest.written(j);
    appendToActive(newerRecord(NEWER_FAMILY, "before", bytes("newer")));
    j.put(Family.HUB, "after", bytes("a1"));
    j.put(Family.HUB_CHANGE, "after", bytes("a-change"));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler); // rolls: a compaction reads that segment
    j.awaitCompaction(Duration.ofSeconds(10));
    assertEquals(Map.of(NEWER_FAMILY, 1L), j.unknownFamilies(), "dropped by the compaction, counted");

    // The compaction's output with such a record among its own (written there by hand: this release never does):
    // the next compaction copies that output's records as they are, and must not stop at it either.
    Path output = Segments.file(dir, Segments.list(dir).get(0));
    Files.write(output, afterFirstRecord(Files.readAllBytes(output), newerRecord(200, "after", null)));
    for (int i = 0; i < 8; i++) j.put(Family.GROUP, "filler", filler);
    j.awaitCompaction(Duration.ofSeconds(10));
    assertEquals(Map.of(NEWER_FAMILY, 1L, 200, 1L), j.unknownFamilies());

    Recovered r = journals.open(dir, SMALL).recovered();
    assertEquals(Map.of("before", "b1", "after", "a1"), texts(r.of(Family.HUB)));
    assertEquals(List.of("a-change"), changes(r, "after"));
    assertTrue(r.unknownFamilies().isEmpty(), "compacted away: " + r.unknownFamilies());
  }

  @Test
  void aCutTailAfterARecordOfAnUnknownFamilyStillEndsTheReadAndADamagedOneIsSkipped() throws Exception {
    Journal j = journals.open(dir, SMALL);
    j.put(Family.HUB, "hub-a", bytes("a1"));
    JournalTest.written(j);
    appendToActive(newerRecord(NEWER_FAMILY, "hub-a", bytes("newer")));
    j.put(Family.HUB, "hub-b", bytes("b1"));
    j.put(Family.HUB, "hub-c", bytes("c1, to be cut"));
    JournalTest.written(j);
    Path segment = Segments.file(dir, Segments.list(dir).get(0));
    try (var c = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
      c.truncate(Files.size(segment) - 3);
    }
    Recovered r = journals.open(dir, SMALL).recovered();
    assertEquals(Map.of("hub-a", "a1", "hub-b", "b1"), texts(r.of(Family.HUB)));
    assertEquals(Map.of(NEWER_FAMILY, 1), r.unknownFamilies());
    assertTrue(r.cutBytes() > 0);

    // A record of an unknown family whose checksum fails is damage like any other: skipped, and what follows is read.
    Path other = dir.resolve("other");
    Journal k = journals.open(other, SMALL);
    k.put(Family.HUB, "hub-a", bytes("kept"));
    JournalTest.written(k);
    byte[] torn = newerRecord(NEWER_FAMILY, "hub-a", bytes("newer"));
    torn[torn.length - 1] ^= 0x40;
    Files.write(Segments.file(other, Segments.list(other).get(0)), torn, StandardOpenOption.APPEND);
    k.put(Family.HUB, "hub-b", bytes("after the damage"));
    JournalTest.written(k);
    Recovered damaged = journals.open(other, SMALL).recovered();
    assertEquals(Map.of("hub-a", "kept", "hub-b", "after the damage"), texts(damaged.of(Family.HUB)));
    assertTrue(damaged.unknownFamilies().isEmpty());
    assertEquals(torn.length, damaged.damagedBytes());
    assertEquals(0, damaged.cutBytes());
  }

  /**
   * A record as a newer release writes one of a family this one does not know: the layout of
   * {@link JournalRecord.Frame#writeInto} (length, CRC-32C, family, PUT or REMOVED, key length, key, image).
   */
  private static byte[] newerRecord(int family, String key, byte[] image) {
    byte[] k = bytes(key);
    int body = 4 + k.length + (image == null ? 0 : image.length);
    ByteBuffer out = ByteBuffer.allocate(JournalRecord.HEADER_BYTES + body);
    out.putInt(body).putInt(0).put((byte) family).put((byte) (image == null ? 2 : 1)).putShort((short) k.length).put(k);
    if (image != null) out.put(image);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), JournalRecord.HEADER_BYTES, body);
    out.putInt(4, (int) crc.getValue());
    return out.array();
  }

  /** Appends after the journal's own writes to its active segment (the newest), as a newer release would have. */
  private void appendToActive(byte[] record) throws Exception {
    List<Long> segments = Segments.list(dir);
    Files.write(Segments.file(dir, segments.get(segments.size() - 1)), record, StandardOpenOption.APPEND);
  }

  /** {@code segment}'s bytes with {@code record} after its first record. */
  private static byte[] afterFirstRecord(byte[] segment, byte[] record) {
    ByteBuffer in = ByteBuffer.wrap(segment);
    assertTrue(JournalRecord.decode(in) != null, "a first record");
    int at = in.position();
    assertTrue(at < segment.length, "records after the first");
    ByteBuffer out = ByteBuffer.allocate(segment.length + record.length);
    out.put(segment, 0, at).put(record).put(segment, at, segment.length - at);
    return out.array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> texts(Map<String, byte[]> images) {
    Map<String, String> out = new java.util.HashMap<>();
    images.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  private static List<String> changes(Recovered r, String key) {
    return r.changesOf(Family.HUB_CHANGE).getOrDefault(key, List.of()).stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }
}
