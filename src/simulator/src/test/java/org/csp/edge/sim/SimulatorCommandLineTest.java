package org.csp.edge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.csp.edge.cli.CommandLines;
import org.junit.jupiter.api.Test;

/** The simulator jar's command line: help on each command exits 0, usage errors 2 on standard error, a version. */
class SimulatorCommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return CommandLines.execute(SimulatorMain.commandLine(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpVersionAndUsageErrors() {
    for (String command : new String[] {"simulate", "demo", "verify", "completion"}) {
      assertEquals(0, run(command, "--help"), command);
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: csp-edge-simulator " + command), out.toString());
    }
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("csp-edge-simulator "), out.toString());
    assertEquals(2, run("verify", "--url", "tcp://127.0.0.1:1883"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required argument"), err.toString());
    assertEquals(2, run("verify", "--url", "tcp://127.0.0.1:1883", "--sent", "3", "--for", "soon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--for"), err.toString());
    assertEquals(2, run("demo", "--exitt"));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}
