package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead letters are listed and resent whatever one damaged line holds; a resent one leaves the file. */
class DeadLettersTest {
  @TempDir Path dir;

  private static UpstreamEvent event(String id) {
    JsonObject e = new JsonObject().put("eventId", id).put("type", "summary").put("count", 3);
    return new UpstreamEvent(id, "summary", "dsp/north/summary/8F3E", 3, Buffer.buffer(e.encode()));
  }

  @Test
  void aDamagedLineIsSkippedAndTheOthersAreListedAndRemoved() throws Exception {
    DeadLetters letters = new DeadLetters(dir);
    letters.append(event("e-1"), "too large", Instant.parse("2026-12-07T08:00:00Z"));
    Path file = dir.resolve("dead-letters").resolve("dead-letters.ndjson");
    Files.write(file, new byte[] {'{', (byte) 0xC3, '(', '\n', '{', 'n', 'o', 't', '\n'}, StandardOpenOption.APPEND);
    letters.append(event("e-2"), "too large", Instant.parse("2026-12-07T08:00:01Z"));
    assertEquals(List.of("e-1", "e-2"), letters.read().stream().map(DeadLetters.Letter::eventId).toList());
    letters.remove(Set.of("e-1"));
    assertEquals(List.of("e-2"), letters.read().stream().map(DeadLetters.Letter::eventId).toList());
  }

  /**
   * The running node appends while {@code dead-letters resend} (another process: here another instance on the same
   * file) takes out what the broker acknowledged: every letter is either taken out or still in the file.
   */
  @Test
  void lettersAppendedWhileOthersAreTakenOutAreNeverLost() throws Exception {
    DeadLetters node = new DeadLetters(dir);
    DeadLetters resend = new DeadLetters(dir);
    int letters = 400;
    Thread appending = new Thread(() -> {
      try {
        for (int i = 0; i < letters; i++) node.append(event("e-" + i), "refused", Instant.parse("2026-12-07T08:00:00Z"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    appending.start();
    Set<String> takenOut = new java.util.HashSet<>();
    while (appending.isAlive()) {
      Set<String> listed = new java.util.HashSet<>();
      for (DeadLetters.Letter l : resend.read()) listed.add(l.eventId());
      resend.remove(listed); // as if the broker acknowledged every one listed
      takenOut.addAll(listed);
    }
    appending.join();
    Set<String> all = new java.util.HashSet<>(takenOut);
    for (DeadLetters.Letter l : resend.read()) all.add(l.eventId());
    assertEquals(letters, all.size(), "taken out " + takenOut.size() + ", the rest in the file");
  }
}
