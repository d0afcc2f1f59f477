package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A killed run's totals come back at the next start with the node id that run had: the node id defaults to the host
 * name, which a recreated container changes, and the DSP takes each node and boot's last heartbeat, so a recovered
 * heartbeat under the new id would count that run's duplicates and rejections twice.
 */
class CountsJournalTest {
  private static final NodeConfig.Durability SETTINGS = new NodeConfig.Durability(true, Duration.ofSeconds(1), 64 * 1024);

  @TempDir Path dir;
  private final OpenedJournals journals = new OpenedJournals();

  @AfterEach
  void closeJournals() {
    journals.close();
  }

  @Test
  void aKilledRunsTotalsComeBackWithItsNodeIdUnderAnother() throws Exception {
    NodeStats killed = new NodeStats();
    killed.received.add(3);
    killed.rejected(RejectReason.MALFORMED_JSON);
    killed.duplicates.increment();
    CountsJournal first = new CountsJournal(journals.open(dir, SETTINGS), killed, "alpha", "boot-1");
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      first.beforeAcknowledge(vertx.getOrCreateContext()).toCompletionStage().toCompletableFuture().join();
    } finally {
      vertx.close();
    }
    // Killed: nothing closed. The next start runs under another node id.
    CountsJournal second = new CountsJournal(journals.open(dir, SETTINGS), new NodeStats(), "beta", "boot-2");
    CountsJournal.BootCounts counts = second.earlierBoots().get("boot-1");
    assertEquals("alpha", counts.nodeIdOr("beta"));
    assertEquals(1, counts.duplicates());
    assertEquals(1, counts.rejected());
  }
}
