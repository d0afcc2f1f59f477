package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest e-mails kept in the data directory until sent: read back whole, named safely, a damaged one set aside. */
class MailQueueTest {
  @TempDir Path dataDir;

  @Test
  void aKeptEmailIsReadBackUntilRemoved() throws Exception {
    MailQueue queue = new MailQueue(dataDir);
    JsonObject mail = new JsonObject().put("subject", "digest").put("text", "Alerts: 4\n");
    queue.keep("dno-2026-12-07T10:00Z", mail);
    queue.keep("supplier-1", mail.copy().put("subject", "other"));
    List<MailQueue.Kept> kept = queue.kept(() -> {});
    assertEquals(2, kept.size());
    assertTrue(kept.contains(new MailQueue.Kept("dno-2026-12-07T10:00Z", mail)), kept.toString());
    queue.remove("dno-2026-12-07T10:00Z");
    assertEquals(List.of("supplier-1"), queue.kept(() -> {}).stream().map(MailQueue.Kept::eventId).toList());
  }

  /** An event id is the node's own, but a file name is no place to trust one: it never names another path. */
  @Test
  void anEventIdThatLooksLikeAPathStaysInTheQueue() throws Exception {
    MailQueue queue = new MailQueue(dataDir);
    queue.keep("../../etc/passwd", new JsonObject().put("subject", "x"));
    queue.keep("..", new JsonObject().put("subject", "y"));
    try (var files = Files.list(dataDir.resolve(MailQueue.DIRECTORY))) {
      assertEquals(2, files.count());
    }
    try (var files = Files.list(dataDir)) {
      assertEquals(List.of(MailQueue.DIRECTORY), files.map(f -> f.getFileName().toString()).toList());
    }
    assertEquals(2, queue.kept(() -> {}).size());
  }

  @Test
  void aDamagedFileIsSetAsideCountedAndNotReadAgain() throws Exception {
    MailQueue queue = new MailQueue(dataDir);
    queue.keep("good", new JsonObject().put("subject", "x"));
    Files.writeString(dataDir.resolve(MailQueue.DIRECTORY).resolve("bad" + MailQueue.SUFFIX), "{\"eventId\":\"bad\",\"ma");
    AtomicInteger unreadable = new AtomicInteger();
    assertEquals(List.of("good"), queue.kept(unreadable::incrementAndGet).stream().map(MailQueue.Kept::eventId).toList());
    assertEquals(1, unreadable.get());
    assertTrue(Files.exists(dataDir.resolve(MailQueue.DIRECTORY).resolve("bad" + MailQueue.SUFFIX + MailQueue.UNREADABLE_SUFFIX)));
    assertEquals(1, queue.kept(unreadable::incrementAndGet).size());
    assertEquals(1, unreadable.get());
  }
}
