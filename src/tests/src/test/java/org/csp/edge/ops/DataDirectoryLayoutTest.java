package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.csp.edge.Node;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * An entry of the data directory of the wrong kind (a directory where the node keeps a file, or the other way round)
 * stops the start with a message naming it, before the node joins a cluster or takes an alert. Before, each part met
 * it in its own way: one start failed saying only "Is a directory", others ran on without persisting their part (the
 * silences, the dead letters, the outbox spill at stop) and logged a warning every few seconds.
 */
class DataDirectoryLayoutTest {

  private record Misplaced(String path, boolean directory) {}

  @Test
  void anEntryOfTheWrongKindStopsTheStartNamingIt() throws Exception {
    List<Misplaced> cases = List.of(new Misplaced("silences.json", true), new Misplaced("policy-versions.jsonl", true),
        new Misplaced("outbox-spill.ndjson", true), new Misplaced("regional-backgrounds.json", true),
        new Misplaced("journal", false), new Misplaced("dead-letters", false), new Misplaced("inventory", false),
        new Misplaced("inventory/inventory.bin", true), new Misplaced("rollups", false));
    for (Misplaced m : cases) {
      JsonObject config = TestNodes.config(null);
      Path dir = Path.of(config.getJsonObject("node").getString("dataDir"));
      Path entry = dir.resolve(m.path());
      Files.createDirectories(entry.getParent());
      if (m.directory()) Files.createDirectories(entry);
      else Files.writeString(entry, "x");
      ExecutionException failed = assertThrows(ExecutionException.class, () -> TestNodes.stop(TestNodes.start(config)),
          m.path() + " of the wrong kind was taken");
      String message = String.valueOf(failed.getCause().getMessage());
      assertTrue(message.contains(entry.toString()), m.path() + ": the message names the entry: " + message);
      assertTrue(message.contains(m.directory() ? "is a directory" : "is not a directory"), message);
    }
  }

  @Test
  void aDataDirectoryThatIsAFileStopsTheStartNamingIt() throws Exception {
    JsonObject config = TestNodes.config(null);
    Path file = Files.createTempFile("not-a-directory", ".txt");
    config.getJsonObject("node").put("dataDir", file.toString());
    ExecutionException failed = assertThrows(ExecutionException.class, () -> TestNodes.stop(TestNodes.start(config)));
    assertTrue(failed.getCause().getMessage().contains(file + " (node.dataDir, NODE_DATA_DIR) is not a directory"),
        failed.getCause().getMessage());
  }

  /** What a node leaves there is its own layout: a second start on it goes ahead. */
  @Test
  void whatANodeLeavesIsItsOwnLayout() throws Exception {
    JsonObject config = TestNodes.config(null);
    TestNodes.stop(TestNodes.start(config));
    Node again = TestNodes.start(config);
    TestNodes.stop(again);
  }

  /**
   * One node per data directory: a second process on a running node's directory replayed its live journal as a
   * crashed run's, opened its store and took its upstream client id before failing on a port. It is refused first.
   */
  @Test
  void aSecondNodeOnARunningNodesDirectoryIsRefusedBeforeItTouchesIt() throws Exception {
    JsonObject first = TestNodes.config(null);
    String dataDir = first.getJsonObject("node").getString("dataDir");
    try (NodeProcess running = NodeProcess.start("data-dir-owner", first, java.util.Map.of()).awaitReady(Duration.ofSeconds(60))) {
      JsonObject second = TestNodes.config(null);
      second.getJsonObject("node").put("dataDir", dataDir);
      ExecutionException failed = assertThrows(ExecutionException.class, () -> TestNodes.stop(TestNodes.start(second)),
          "a second node started on a directory in use");
      String message = String.valueOf(failed.getCause().getMessage());
      assertTrue(message.contains("the data directory " + dataDir + " is in use by another node (process " + running.pid() + ")"),
          message);
      assertTrue(running.ready(), "the running node goes on: " + running.health().encode());

      running.terminate();
      TestNodes.stop(TestNodes.start(second)); // free once its node has stopped
    }
  }
}
