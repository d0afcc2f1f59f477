package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spill streamed back at start: a corrupt line skipped and counted, a large spill fed no faster than the outbox
 * drains, a crash during the replay resending only what was not delivered, and a clean stop keeping the rest.
 */
class OutboxSpillTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void aCorruptLineEvenOneNotUtf8IsSkippedAndCountedAndTheOthersAreSentThenTheSpillIsGone() throws Exception {
    Path file = dir.resolve("outbox-spill.ndjson");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes((line(event(1)) + "{not json\n\n" + line(event(2))).getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', '}', '\n'}); // damaged: not UTF-8
    bytes.writeBytes(("{\"topic\":\"dsp/north/alert\",\"event\":{\"type\":\"alert\"}}\n"
        // No broker takes a wildcard in a topic name: retried, it held the replay and every stop for ever.
        + line(event(9)).replace("\"topic\":\"", "\"topic\":\"#/") + line(event(3)))
        .getBytes(StandardCharsets.UTF_8));
    Files.write(file, bytes.toByteArray());
    OutboxSpill spill = new OutboxSpill(dir);
    Outbox outbox = new Outbox(100, 80);
    SpillReplay replay = spill.replay(outbox);
    assertNotNull(replay);
    assertFalse(Files.exists(file), "moved aside while it is replayed");

    List<String> sent = deliverAll(outbox, 3);
    assertEquals(List.of("e-1", "e-2", "e-3"), sent);
    assertEquals(4, spill.corruptLines(),
        "the line that is not JSON, the one not UTF-8, the event without an id and the one whose topic no broker takes");
    awaitGone(dir.resolve("outbox-spill.replaying"));
    assertFalse(Files.exists(dir.resolve("outbox-spill.delivered")));
    assertNull(new OutboxSpill(dir).replay(new Outbox(10, 8)), "nothing left for the next start");
  }

  @Test
  void aSpillFarLargerThanTheOutboxIsFedAsItDrains() throws Exception {
    int events = 200_000;
    int capacity = 1000;
    writeSpill(events);
    Outbox outbox = new Outbox(capacity, capacity * 8 / 10);
    OutboxSpill spill = new OutboxSpill(dir);
    spill.replay(outbox);
    AtomicInteger deepest = new AtomicInteger();
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (seen.size() < events && System.nanoTime() < deadline) {
      deepest.accumulateAndGet(outbox.depth(), Math::max);
      UpstreamEvent e = outbox.poll();
      if (e == null) {
        Thread.onSpinWait();
        continue;
      }
      assertTrue(seen.add(e.eventId()), "once: " + e.eventId());
      outbox.delivered(e);
      e.afterDelivery().run();
    }
    assertEquals(events, seen.size());
    assertTrue(deepest.get() <= capacity, "never more read ahead than the outbox's capacity: " + deepest.get());
    awaitGone(dir.resolve("outbox-spill.replaying"));
  }

  @Test
  void aCrashDuringTheReplaySendsAgainOnlyWhatWasNotDelivered() throws Exception {
    writeSpill(100);
    Outbox before = new Outbox(1000, 800);
    new OutboxSpill(dir).replay(before);
    List<String> first = deliverAll(before, 50); // then the process dies: no stop, no new spill

    Outbox after = new Outbox(1000, 800);
    SpillReplay again = new OutboxSpill(dir).replay(after);
    assertEquals(50, again.alreadyDelivered());
    List<String> second = deliverAll(after, 50);
    Set<String> all = new HashSet<>(first);
    all.addAll(second);
    assertEquals(100, all.size(), "each event delivered once over both runs");
    awaitGone(dir.resolve("outbox-spill.replaying"));
    assertFalse(Files.exists(dir.resolve("outbox-spill.delivered")));
  }

  @Test
  void aCleanStopSpillsWhatTheOutboxHoldsAndTheUnreadRestAndNothingDelivered() throws Exception {
    writeSpill(5000);
    Outbox outbox = new Outbox(100, 80);
    OutboxSpill spill = new OutboxSpill(dir);
    SpillReplay replay = spill.replay(outbox);
    List<String> delivered = deliverAll(outbox, 30);
    UpstreamEvent taken = polled(outbox); // in flight: no PUBACK yet
    assertNotNull(taken);
    outbox.offer(event(9_999_999)); // raised by this run: stays with its hub when this member is not the last

    OutboxSpill.Spilled s = spill.write(outbox, false, replay);
    assertEquals(4970, s.written());
    List<String> ids = spillIds();
    assertEquals(4970, new HashSet<>(ids).size());
    assertEquals(4970, ids.size());
    assertTrue(ids.contains(taken.eventId()), "an event in flight is spilled");
    assertFalse(ids.contains("e-9999999"), "not from the spill: left to the hubs");
    for (String d : delivered) assertFalse(ids.contains(d), d + " was delivered");
    assertFalse(Files.exists(dir.resolve("outbox-spill.replaying")));
    assertFalse(Files.exists(dir.resolve("outbox-spill.delivered")));
    assertEquals(0, outbox.depth());
  }

  /** The next event, once the replay's reader has put one in (it refills the outbox from its own thread). */
  private static UpstreamEvent polled(Outbox outbox) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    UpstreamEvent e;
    while ((e = outbox.poll()) == null && System.nanoTime() < deadline) Thread.sleep(1);
    return e;
  }

  private List<String> deliverAll(Outbox outbox, int count) throws InterruptedException {
    List<String> sent = new ArrayList<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (sent.size() < count && System.nanoTime() < deadline) {
      UpstreamEvent e = outbox.poll();
      if (e == null) {
        Thread.sleep(1);
        continue;
      }
      sent.add(e.eventId());
      outbox.delivered(e);
      e.afterDelivery().run();
    }
    assertEquals(count, sent.size(), "delivered in time");
    return sent;
  }

  private void writeSpill(int events) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("outbox-spill.ndjson"), StandardCharsets.UTF_8)) {
      for (int i = 1; i <= events; i++) w.write(line(event(i)));
    }
  }

  private List<String> spillIds() throws IOException {
    List<String> ids = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("outbox-spill.ndjson"), StandardCharsets.UTF_8)) {
      ids.add(new JsonObject(l).getJsonObject("event").getString("eventId"));
    }
    return ids;
  }

  private static void awaitGone(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(10);
    assertFalse(Files.exists(file), file + " removed once everything in it is delivered");
  }

  static UpstreamEvent event(int n) {
    JsonObject payload = new JsonObject().put("eventId", "e-" + n).put("type", "alert").put("count", 1)
        .put("hubId", "HUB-" + (n % 97));
    return new UpstreamEvent("e-" + n, "alert", "dsp/north/alert", 1, payload.toBuffer());
  }

  private static String line(UpstreamEvent e) {
    return e.toSpillJson().encode() + "\n";
  }

  static Buffer bytes(int n) {
    return Buffer.buffer(new byte[n]);
  }
}
