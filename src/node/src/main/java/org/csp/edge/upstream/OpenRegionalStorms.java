package org.csp.edge.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.durability.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regional storms this member started and whose {@code storm-end} the broker has not taken yet, kept in
 * {@code <dataDir>/regional-storms.json}. Their notices name this member and no other member ends them: a member
 * that dies (kill -9, out of memory) with one open, or with its end still in the outbox, left it open at the DSP for
 * ever. Its next start sends those ends: the one it had raised, or else one ended at the restart, with what the
 * member had grouped as last written ({@link #totals}, every status interval). The file changes at a storm's start
 * and end (rare), written off the calling thread, the latest state last.
 */
public final class OpenRegionalStorms implements AutoCloseable {
  public static final String FILE = "regional-storms.json";
  private static final Logger log = LoggerFactory.getLogger(OpenRegionalStorms.class);
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final Path file;
  /** Keyed by code and start: {@code alertCode}, {@code startedAt}, {@code totalGrouped}, and once raised {@code endedAt}. */
  private final Map<String, JsonObject> open = new LinkedHashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "csp-regional-storms");
    t.setDaemon(true);
    return t;
  });
  private long changes;
  private long written;

  public OpenRegionalStorms(Path dataDir) {
    this.file = dataDir.resolve(FILE);
  }

  /**
   * The ends the last run owed: each storm it left open or whose end the broker had not taken, ended at
   * {@code now} when it had not ended. The caller raises them ({@link #endRaised} keeps each until delivered); the
   * file's next write holds only what this run keeps. Blocking; at start, before any notice.
   */
  public synchronized List<RegionalEvent.Ended> leftByLastRun(long now) {
    List<RegionalEvent.Ended> owed = new ArrayList<>();
    if (!Files.exists(file)) return owed;
    JsonArray storms;
    try {
      storms = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("storms", new JsonArray());
    } catch (IOException | RuntimeException e) {
      log.warn("{} does not read ({}); the regional storms it held are not ended", file, e.toString());
      return owed;
    }
    // One storm at a time: a damaged entry costs its own end, not the others'.
    for (int i = 0; i < storms.size(); i++) {
      try {
        JsonObject s = storms.getJsonObject(i);
        String code = s.getString("alertCode");
        Long startedAt = s.getLong("startedAt");
        if (code == null || startedAt == null) throw new IllegalArgumentException("no alertCode or startedAt");
        owed.add(new RegionalEvent.Ended(code, startedAt, s.getLong("endedAt", now), s.getLong("totalGrouped", 0L)));
      } catch (RuntimeException e) {
        log.warn("{}: storm {} does not read ({}); it is not ended, the others are", file, i, e.toString());
      }
    }
    return owed;
  }

  public void started(RegionalEvent.Started s) {
    change(() -> open.put(key(s.alertCode(), s.at()), new JsonObject().put("alertCode", s.alertCode())
        .put("startedAt", s.at()).put("totalGrouped", 0L)));
  }

  /** The end is queued: kept, as raised, until the broker has it. */
  public void endRaised(RegionalEvent.Ended e) {
    change(() -> open.put(key(e.alertCode(), e.startedAt()), new JsonObject().put("alertCode", e.alertCode())
        .put("startedAt", e.startedAt()).put("endedAt", e.endedAt()).put("totalGrouped", e.totalGrouped())));
  }

  public void endDelivered(RegionalEvent.Ended e) {
    change(() -> open.remove(key(e.alertCode(), e.startedAt())));
  }

  /** What this member has grouped so far in each storm still open here, by code (RegionalBursts.openTotals). */
  public void totals(Map<String, long[]> byCode) {
    change(() -> {
      for (JsonObject s : open.values()) {
        long[] startedAndTotal = byCode.get(s.getString("alertCode"));
        if (s.containsKey("endedAt") || startedAndTotal == null || startedAndTotal[0] != s.getLong("startedAt")) continue;
        s.put("totalGrouped", startedAndTotal[1]);
      }
    });
  }

  private void change(Runnable change) {
    synchronized (this) {
      String before = snapshot().encode();
      change.run();
      if (before.equals(snapshot().encode())) return;
      changes++;
    }
    try {
      writer.execute(this::write);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // After the stop's last write: a notice this late is in the spill or handed over, not here.
    }
  }

  private JsonObject snapshot() {
    JsonArray storms = new JsonArray();
    open.values().forEach(s -> storms.add(s.copy()));
    return new JsonObject().put("storms", storms);
  }

  private void write() {
    String text;
    long version;
    synchronized (this) {
      if (written == changes) return; // a later write already took this change
      text = snapshot().encode();
      version = changes;
    }
    try {
      if (text.equals(new JsonObject().put("storms", new JsonArray()).encode())) Files.deleteIfExists(file);
      else AtomicFile.writeString(file, text);
      synchronized (this) {
        written = Math.max(written, version);
      }
    } catch (IOException e) {
      log.warn("cannot write {} ({}); a crash now would leave its regional storms open at the DSP", file, e.toString());
    }
  }

  private static String key(String alertCode, long startedAt) {
    return alertCode + "|" + startedAt;
  }

  /** Lets the last write finish. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
