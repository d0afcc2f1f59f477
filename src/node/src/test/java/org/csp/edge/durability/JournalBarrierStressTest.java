package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every barrier completes while several threads append at once, past the pending bound (appenders wait for the
 * writer), with a segment roll and a compaction every few batches: an acknowledgement waits for its barrier, so one
 * that never completes is an answer never sent.
 */
class JournalBarrierStressTest {
  private static final Duration BARRIER_PATIENCE = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void everyBarrierCompletesUnderContentionRollsAndBackPressure() throws Exception {
    NodeConfig.Durability tight = new NodeConfig.Durability(true, Duration.ofMillis(2), 4096,
        NodeConfig.Durability.DEFAULT_CHANGES_PER_IMAGE, NodeConfig.Durability.MIN_PENDING_BYTES);
    try (Journal journal = Journal.open(dir, tight)) {
      appendAndAsk(journal);
    }
  }

  private static void appendAndAsk(Journal journal) throws Exception {
    int appenders = 6;
    int rounds = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(appenders + 1);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < appenders; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          int barriers = 0;
          for (int i = 0; i < rounds; i++) {
            journal.put(JournalRecord.Family.HUB, "hub-" + thread + "-" + (i % 64), new byte[1 + random.nextInt(900)]);
            if (random.nextInt(3) == 0) {
              journal.written().toCompletableFuture().get(BARRIER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
              barriers++;
            }
          }
          return barriers;
        }));
      }
      List<Future<Integer>> appending = List.copyOf(done);
      // One that only asks, as an intake answering a message whose records another thread appended.
      done.add(pool.submit(() -> {
        int barriers = 0;
        while (appending.stream().anyMatch(f -> !f.isDone())) {
          journal.written().toCompletableFuture().get(BARRIER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
          barriers++;
        }
        return barriers;
      }));
      for (Future<Integer> f : done) f.get(5, TimeUnit.MINUTES); // a barrier stuck past its patience fails here
    } finally {
      pool.shutdownNow();
    }
    journal.written().toCompletableFuture().get(BARRIER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(appenders * (long) rounds, journal.appended());
    assertEquals(0, journal.writeFailures());
  }
}
