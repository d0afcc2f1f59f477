package org.csp.edge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.csp.edge.cli.CommandLines;
import org.junit.jupiter.api.Test;

/** The bench jar's command line: help on each command exits 0, usage errors 2 on standard error, a version. */
class BenchCommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return CommandLines.execute(BenchMain.commandLine(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpVersionAndUsageErrors() {
    assertEquals(0, run("bench", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--p99-bound-ms"), out.toString());
    assertEquals(0, run("bench", "memory", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: csp-edge-bench bench memory"), out.toString());
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("csp-edge-bench "), out.toString());
    assertEquals(2, run("bench", "--nodes", "12"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--nodes must be at most 9"), err.toString());
    assertEquals(2, run("bench", "memory", "--hubs", "none"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--hubs must be a positive whole number"), err.toString());
    assertEquals(2, run("bench", "--turbo"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option: '--turbo'"), err.toString());
  }
}
