package org.csp.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.csp.edge.cli.CommandLines;
import org.junit.jupiter.api.Test;

/** The product's command line as an operator meets it: help, version, usage errors and their exit codes. */
class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    return CommandLines.execute(Main.commandLine(Map.of(), InputStream.nullInputStream(), o, e), args, o, e);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyCommandsHelpExits0AndPrintsItsUsage() {
    for (List<String> command : List.<List<String>>of(List.of(), List.of("run"), List.of("config"), List.of("config", "check"),
        List.of("hash-password"), List.of("new-token"), List.of("dead-letters"), List.of("dead-letters", "list"),
        List.of("dead-letters", "resend"), List.of("policy"), List.of("policy", "get"), List.of("policy", "set"),
        List.of("policy", "history"), List.of("policy", "rollback"), List.of("silence"), List.of("silence", "add"), List.of("silence", "list"),
        List.of("silence", "expire"), List.of("inventory"), List.of("inventory", "import"), List.of("inventory", "show"),
        List.of("completion"))) {
      String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
          .toArray(String[]::new);
      assertEquals(0, run(args), command + " --help: " + err());
      assertTrue(out().startsWith(String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of("Usage: csp-edge-node"), command.stream()).toList())), command + ": " + out());
      assertEquals("", err(), command + " --help writes nothing to standard error");
    }
    assertEquals(0, run("--help"));
    for (String name : List.of("run", "config", "hash-password", "new-token", "dead-letters", "policy", "silence", "inventory", "completion")) {
      assertTrue(out().contains(name), "the top usage lists " + name + ": " + out());
    }
  }

  @Test
  void usageErrorsExit2WithTheMessageOnStandardError() {
    assertEquals(2, run());
    assertTrue(err().contains("a command is needed"), err());
    assertEquals(2, run("launch"));
    assertTrue(err().contains("Unmatched argument at index 0: 'launch'"), err());
    assertEquals(2, run("run", "--colour", "blue"));
    assertTrue(err().contains("Unknown options: '--colour', 'blue'"), err());
    assertEquals("", out());
    assertEquals(2, run("hash-password"));
    assertTrue(err().contains("Missing required parameter: 'NAME'"), err());
    assertEquals(2, run("new-token", "ops", "--role", "root"));
    assertTrue(err().contains("--role must be client or admin, got 'root'"), err());
    assertEquals(2, run("config"));
    assertTrue(err().contains("a subcommand is needed: one of [check]"), err());
    assertEquals(2, run("hash-password", "hub-1", "--cost", "many"));
    assertTrue(err().contains("Invalid value for option '--cost'"), err());
    // A mistyped data directory is said, not read as "0 dead letters".
    for (String command : List.of("list", "resend")) {
      assertEquals(2, run("dead-letters", command, "--data-dir", "no/such/dir"), command);
      assertTrue(err().contains("--data-dir: no/such/dir is not a directory"), err());
    }
  }

  /** Resending a dead letter that is not there says so and fails: nothing was resent of what was asked. */
  @Test
  void resendingADeadLetterThatIsNotThereFails(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertEquals(1, run("dead-letters", "resend", "--data-dir", dir.toString(), "--id", "summary:x:1"));
    assertTrue(err().contains("no dead letter [summary:x:1] in "), err());
  }

  @Test
  void aConfigurationRefusedExits2AndAFailureExits1() {
    assertEquals(2, run("config", "check", "no/such/file.yaml"));
    assertTrue(err().contains("configuration refused"), err());
    assertEquals(2, run("run", "--config", "no/such/file.yaml"));
    assertTrue(err().startsWith("configuration error: "), err());
  }

  @Test
  void versionAndCompletion() {
    assertEquals(0, run("--version"));
    assertTrue(out().matches("csp-edge-node \\S+\\R"), out());
    assertEquals(0, run("completion"));
    assertTrue(out().contains("complete -F _complete_csp-edge-node") || out().contains("_complete_csp-edge-node"), out());
    assertTrue(out().contains("dead-letters") && out().contains("--data-dir"), "subcommands and their options");
  }
}
