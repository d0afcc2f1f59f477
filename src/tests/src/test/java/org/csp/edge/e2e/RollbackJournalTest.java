package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.csp.edge.Node;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.durability.Journal;
import org.csp.edge.durability.JournalRecord.Family;
import org.csp.edge.support.MetricsScrape;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * A node started on a journal that a newer release wrote (a rollback after its crash): what this release knows of it
 * is restored, records after one of an unknown family included, and the skipped ones show in the status and metrics.
 */
class RollbackJournalTest {
  /** A family code no release has used: to this one, a newer release's. */
  private static final int NEWER_FAMILY = 99;

  @Test
  void aNodeRestoresTheKnownRecordsAroundANewerReleasesAndShowsWhatItSkipped() throws Exception {
    JsonObject config = TestNodes.config(null).put("durability", new JsonObject().put("journal", "on"));
    Path journalDir = Path.of(config.getJsonObject("node").getString("dataDir")).resolve("journal");
    // The crashed run's counts, a record of a newer release's family between them, in one segment.
    try (Journal newer = Journal.open(journalDir, new NodeConfig.Durability(true, null, 64 * 1024))) {
      newer.put(Family.COUNTS, "boot-before", counts(1, 2));
      Files.write(onlySegment(journalDir), newerRecord("hub-a", "what a newer release knows of hub-a"),
          StandardOpenOption.APPEND);
      newer.put(Family.COUNTS, "boot-after", counts(4, 8));
    }

    Node node = TestNodes.start(config);
    try {
      JsonObject journal = node.status().toJson().getJsonObject("journal");
      assertEquals(List.of("boot-after", "boot-before"),
          journal.getJsonObject("earlierBoots").fieldNames().stream().sorted().toList(), journal.encode());
      assertEquals(5, journal.getLong("earlierDuplicates"), "the counts after the unknown record count too");
      assertEquals(10, journal.getLong("earlierRejected"));
      assertEquals(1, journal.getLong("unknownFamilyRecords"));
      assertEquals(new JsonObject().put(String.valueOf(NEWER_FAMILY), 1), journal.getJsonObject("unknownFamilies"));
      assertEquals(1.0, MetricsScrape.sum(node.httpPort(), "csp_journal_unknown_family_records_total", null));
    } finally {
      TestNodes.stop(node);
    }
  }

  private static byte[] counts(long duplicates, long rejected) {
    return new JsonObject().put("received", duplicates + rejected).put("duplicates", duplicates).put("rejected", rejected)
        .put("rejectedByReason", new JsonObject().put("malformed_json", rejected)).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static Path onlySegment(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
      assertEquals(1, segments.size(), "one segment: " + segments);
      return segments.get(0);
    }
  }

  /** A PUT record of {@link #NEWER_FAMILY} laid out as the journal writes any (length, CRC-32C, body). */
  private static byte[] newerRecord(String key, String image) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = image.getBytes(StandardCharsets.UTF_8);
    int body = 4 + k.length + v.length;
    ByteBuffer out = ByteBuffer.allocate(8 + body);
    out.putInt(body).putInt(0).put((byte) NEWER_FAMILY).put((byte) 1).putShort((short) k.length).put(k).put(v);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 8, body);
    out.putInt(4, (int) crc.getValue());
    return out.array();
  }
}
