package org.csp.edge.bench.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csp.edge.bench.BenchMain;
import org.csp.edge.support.NodeProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bench memory} on 20,000 hubs, every shape, in a JVM of its own as its usage says (one measurement per JVM):
 * it must fill the real member's map through the node's operations, leave nothing waiting for the broker, and print
 * a per-hub figure with one hub state per hub in the histogram. Run inside the test JVM, the other tests' leftovers
 * (threads, buffers, meters) shrank by more than a few thousand hubs retain and the figure came out negative. The
 * figure itself is not asserted: 20,000 hubs do not amortise the member's fixed costs.
 */
class MemoryCommandTest {
  private static final int HUBS = 20_000;
  private static final int WARM_UP = 1_000;

  @ParameterizedTest
  @ValueSource(strings = {"one-code", "storm", "grouped"})
  void fillsTheMembersMapThroughTheNodesOperationsAndReportsPerHub(String state) throws Exception {
    // The benchmark's own main class: the node's Main (which mainCommand names) knows no "bench" since the modules split.
    List<String> command = new ArrayList<>(NodeProcess.mainCommand(List.of("-Xmx512m", "-XX:+UseSerialGC"),
        "bench", "memory", "--hubs", Integer.toString(HUBS), "--state", state, "--top", "40"));
    command.set(command.indexOf("org.csp.edge.Main"), BenchMain.class.getName());
    Path log = Files.createDirectories(Path.of("target", "bench-memory")).resolve(state + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished;
    try {
      finished = process.waitFor(2, TimeUnit.MINUTES);
    } finally {
      process.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(text);
    assertTrue(finished, "bench memory finished within 2 minutes\n" + text);

    assertEquals(0, process.exitValue(), "exit code (map size and nothing waiting); output:\n" + text);
    assertTrue(text.contains(String.format(Locale.ROOT, "map size %,d", HUBS + WARM_UP)),
        HUBS + " hubs measured after " + WARM_UP + " of warm-up\n" + text);
    Matcher perHub = Pattern.compile("per hub and code: (-?[0-9.]+) bytes").matcher(text);
    assertTrue(perHub.find(), text);
    assertTrue(Double.parseDouble(perHub.group(1)) > 0, "the filled map retains heap\n" + text);
    assertTrue(text.contains("| org.csp.edge.decision.HubState | 1.00 |"), "one hub state per hub\n" + text);
    if (state.equals("storm")) {
      assertTrue(text.contains("storming=" + (HUBS + WARM_UP)), "every hub storms\n" + text);
    }
    if (state.equals("grouped")) {
      // Through the member's own burst detector: the warm-up hubs' alerts open the burst, every measured one is grouped.
      Matcher grouping = Pattern.compile("grouping=(\\d+)").matcher(text);
      assertTrue(grouping.find() && Integer.parseInt(grouping.group(1)) >= HUBS, "every measured hub has an open share\n" + text);
      Matcher held = Pattern.compile("heldInGroups=(\\d+)").matcher(text);
      assertTrue(held.find() && Long.parseLong(held.group(1)) >= HUBS, "every measured hub holds its alert in its share\n" + text);
      // The open share is in the hub's packed bytes and in its code's table in the owner's registry: no object a hub.
      for (String object : List.of("GroupShare", "GroupShares", "HubAttention")) {
        assertFalse(text.contains("| org.csp.edge.decision." + object + " | 1.00 |"), object + ": none per hub\n" + text);
      }
    }
  }
}
