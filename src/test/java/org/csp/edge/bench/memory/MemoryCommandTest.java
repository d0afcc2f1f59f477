package org.csp.edge.bench.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bench memory} on a few thousand hubs, both shapes: it must fill the real member's map through the node's
 * operations, leave nothing waiting for the broker, and print a per-hub figure with the hub state's classes in the
 * histogram. The figure itself is not asserted: a few thousand hubs do not amortise the member's fixed costs.
 */
class MemoryCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"one-code", "storm"})
  void fillsTheMembersMapThroughTheNodesOperationsAndReportsPerHub(String state) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      code = MemoryCommand.run(new String[] {"--hubs", "3000", "--state", state, "--top", "40"}, ps);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertEquals(0, code, "exit code (map size and nothing waiting); output:\n" + text);
    assertTrue(text.contains("map size 4,000"), "3000 hubs measured after 1000 of warm-up\n" + text);
    Matcher perHub = Pattern.compile("per hub and code: ([0-9.]+) bytes").matcher(text);
    assertTrue(perHub.find(), text);
    assertTrue(Double.parseDouble(perHub.group(1)) > 0, text);
    assertTrue(text.contains("org.csp.edge.consolidation.HubState |"), "the hub states are in the histogram\n" + text);
    if (state.equals("storm")) assertTrue(text.contains("storming=4000"), "every hub storms\n" + text);
  }
}
