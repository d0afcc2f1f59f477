package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node refuses a stop (NODE_STOP_TIMEOUT, which the chart derives from the grace period) that is not longer than
 * its outbox drain (config.outbox.drainTimeout): the chart refuses such an install, instead of pods that crash-loop.
 */
class StopTimeoutTest {

  @Test
  void aGracePeriodThatLeavesNoRoomBeyondTheDrainIsRefusedAtInstall() {
    // 30 - 5 - 10 = 15 s of stop against the default drain of 20 s.
    Exception e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", "terminationGracePeriodSeconds=30"));
    assertNamesBoth(e, "15s", "20s");
    // 120 - 5 - 10 = 105 s of stop against a drain of 2 minutes.
    e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", "config.outbox.drainTimeout=2m"));
    assertNamesBoth(e, "105s", "2m");
    // Equal is refused too: the node wants the stop longer than the drain.
    e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", "config.outbox.drainTimeout=105000ms"));
    assertNamesBoth(e, "105s", "105000ms");
  }

  @Test
  void aDrainTheStopCoversIsAcceptedByTheChartAndTheNode(@TempDir Path dir) throws IOException {
    for (String[] sets : new String[][] {
        {"terminationGracePeriodSeconds=30", "config.outbox.drainTimeout=1500ms"},  // 15 s stop, 1.5 s drain
        {"config.outbox.drainTimeout=104s"},                                         // 105 s stop
        {"config.outbox.drainTimeout=1m"},
        {"config.outbox.drainTimeout=0s"}}) {                                         // spill at once
      Manifests release = ChartRender.region("north", sets);
      Path run = Files.createDirectories(dir.resolve(String.valueOf(sets.length) + sets[sets.length - 1].hashCode()));
      NodeConfig node = release.nodeConfig(run);
      assertTrue(node.stopTimeout().compareTo(node.outbox().drainTimeout()) > 0,
          String.join(" ", sets) + ": the node's stop " + node.stopTimeout() + " is longer than its drain " + node.outbox().drainTimeout());
    }
    assertEquals(Duration.ofSeconds(15), ChartRender.region("north", "terminationGracePeriodSeconds=30",
        "config.outbox.drainTimeout=1500ms").nodeConfig(Files.createDirectories(dir.resolve("last"))).stopTimeout());
  }

  @Test
  void aDrainTimeoutThatIsNoDurationIsRefusedAtInstall() {
    Exception e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", "config.outbox.drainTimeout=20 seconds"));
    assertTrue(e.getMessage().contains("config.outbox.drainTimeout"), e.getMessage());
  }

  private static void assertNamesBoth(Exception e, String stop, String drain) {
    String m = e.getMessage();
    assertTrue(m.contains("terminationGracePeriodSeconds") && m.contains("config.outbox.drainTimeout"),
        "the message names both values: " + m);
    assertTrue(m.contains(stop) && m.contains(drain), "and what they come to, " + stop + " and " + drain + ": " + m);
  }
}
