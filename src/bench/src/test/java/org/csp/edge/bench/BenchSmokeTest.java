package org.csp.edge.bench;

import org.csp.edge.support.Mosquitto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness in --smoke mode, every scenario: it must produce a result per scenario with a positive
 * sustained rate for the node and both baselines (relay, bare hop), the relay must deliver every alert it
 * acknowledged, the accounting must hold in each, and the JSON and Markdown must be written. The figures themselves
 * are not asserted: on a shared CI machine they mean nothing.
 */
class BenchSmokeTest {

  /** An update with every list at console.liveTop (10) entries is about 3 KiB. */
  private static final long MAX_LIVE_UPDATE_BYTES = 8 * 1024;

  @Test
  void smokeRunOfEveryScenarioAccountsForEveryAlert(@TempDir Path out) throws Exception {
    Mosquitto.require("the benchmark's bare hop and its DSP broker are Mosquitto processes");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      code = BenchCommand.run(new String[] {"--smoke", "--out", out.toString()}, ps);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.println(text); // the progress lines and tables, for the surefire report
    assertEquals(0, code, "exit code; output:\n" + text);

    assertTrue(Files.isRegularFile(out.resolve("results.md")), "results.md written");
    JsonObject json = new JsonObject(Files.readString(out.resolve("results.json")));
    assertTrue(json.getBoolean("accountingHeldInEveryScenario"), text);
    JsonArray scenarios = json.getJsonArray("scenarios");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      JsonObject s = scenarios.getJsonObject(i);
      String name = s.getString("scenario");
      names.add(name);
      assertTrue(s.getJsonObject("node").getLong("maxSustainedAlertsPerSecond") > 0, name + ": node sustained a rate\n" + text);
      assertTrue(s.getJsonObject("bareHop").getLong("maxSustainedAlertsPerSecond") > 0, name + ": bare hop sustained a rate\n" + text);
      assertTrue(s.getJsonObject("relay").getLong("maxSustainedAlertsPerSecond") > 0, name + ": relay sustained a rate\n" + text);
      // The relay acknowledges only what Mosquitto acknowledged: everything it acknowledged reaches the subscriber.
      String problem = s.getString("problem");
      assertTrue(problem == null || !problem.contains("relay"), name + ": " + problem);
      // CPU per alert at the node's half rate, for each hop that ran that step (smoke steps are too short for the
      // figures to mean anything: only that they are there and in range).
      JsonObject micros = s.getJsonObject("hopCpuMicrosPerAlertAtNodeHalfRate");
      JsonObject relayHalf = s.getJsonObject("relay").getJsonObject("atNodeHalfRate");
      if (relayHalf != null) {
        assertTrue(micros.getDouble("relay") >= 0, name + ": relay CPU per alert " + micros.encode());
        // Shares of the relay's threads' CPU: null when a smoke step is too short for them to use one clock tick.
        JsonObject cpu = relayHalf.getJsonObject("cpuPercentOfMachine");
        assertTrue(cpu.containsKey("hopThreadsKernelShare") && cpu.containsKey("hopThreadsGcShare"), name + ": " + cpu.encode());
        for (String share : new String[] {"hopThreadsKernelShare", "hopThreadsGcShare"}) {
          Double value = cpu.getDouble(share);
          assertTrue(value == null || value >= 0 && value <= 1, name + ": " + share + " is a fraction: " + value);
        }
        // Every alert through the relay is read, handed on and acknowledged by threads that sleep in between.
        double switches = s.getJsonObject("hopVoluntarySwitchesPerAlertAtNodeHalfRate").getDouble("relay");
        assertTrue(switches > 0, name + ": the relay's threads and the broker switch: " + switches);
      }
      JsonObject accounting = s.getJsonObject("accounting");
      assertTrue(accounting.getBoolean("holds"), name + ": accounting " + accounting.encode());
      // The console's live stream over the node's climb: updates came, each a few kilobytes whatever the rate.
      JsonObject live = s.getJsonObject("consoleLive");
      assertEquals(null, live.getString("problem"), name + ": " + live.encode());
      assertTrue(live.getLong("updates") > 0 && live.getLong("largestUpdateBytes") <= MAX_LIVE_UPDATE_BYTES, name + ": " + live.encode());
      assertTrue(accounting.getLong("alertsSent") > 0, name + ": alerts were sent");
    }
    assertEquals(List.of("healthy", "gpf-8f3e", "voltage", "power-restore", "regional-voltage", "power-restoration",
        "several-codes", "head-end-50"), names);
    String markdown = Files.readString(out.resolve("results.md"));
    for (String name : names) assertTrue(markdown.contains("| " + name + " |"), "results.md has a row for " + name);
  }
}
