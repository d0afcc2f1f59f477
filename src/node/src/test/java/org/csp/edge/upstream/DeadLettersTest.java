package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
   * A line that is JSON but not a letter ({@code {}}, a foreign line, a count that is text) is reported as unreadable,
   * not listed as a letter without an id. Before, {@code {}} was a letter whose listing failed on a null.
   */
  @Test
  void aLineThatIsJsonButNotALetterIsReportedNotListed() throws Exception {
    DeadLetters letters = new DeadLetters(dir);
    Path file = dir.resolve("dead-letters").resolve("dead-letters.ndjson");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{}\n[1]\n{\"topic\":\"t\",\"event\":{\"eventId\":\"x\",\"type\":\"summary\",\"count\":\"3\"}}\n");
    letters.append(event("e-1"), "too large", Instant.parse("2026-12-07T08:00:00Z"));
    DeadLetters.Contents contents = letters.contents();
    assertEquals(List.of("e-1"), contents.letters().stream().map(DeadLetters.Letter::eventId).toList());
    assertEquals(List.of(1L, 2L, 3L), contents.unreadableLines());
  }

  /**
   * Taking out what the broker took keeps every other line byte for byte, damaged ones too: a damaged line may be the
   * only record of an event's counts. Before, the file was rewritten from what could be read, and a damaged line
   * vanished with the first resend.
   */
  @Test
  void aDamagedLineOutlivesTheRemovalOfTheOthers() throws Exception {
    DeadLetters letters = new DeadLetters(dir);
    letters.append(event("e-1"), "too large", Instant.parse("2026-12-07T08:00:00Z"));
    Path file = dir.resolve("dead-letters").resolve("dead-letters.ndjson");
    byte[] damaged = "{\"topic\":\"t\",\"event\":{\"eventId\":\"e-9\",\"count\":1\u00ff1}}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(file, damaged, StandardOpenOption.APPEND);
    Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
    letters.append(event("e-2"), "too large", Instant.parse("2026-12-07T08:00:01Z"));
    letters.remove(Set.of("e-1", "e-2"));
    assertTrue(Files.exists(file), "the damaged line's file stays");
    byte[] line = java.util.Arrays.copyOf(damaged, damaged.length + 1);
    line[damaged.length] = '\n';
    assertArrayEquals(line, Files.readAllBytes(file), "the file holds the damaged line as it was, and nothing else");
    assertEquals(List.of(1L), letters.contents().unreadableLines());
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
