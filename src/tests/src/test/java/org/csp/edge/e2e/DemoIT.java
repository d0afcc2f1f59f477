package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.csp.edge.support.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * README's first command, as a new user runs it, on the packaged jar (so shading, service files and the embedded
 * broker are checked too): the demo runs every scenario against a node on embedded defaults and the accounting holds.
 * Runs after {@code package} (maven-failsafe); ports are moved off the defaults so that CI never collides.
 */
class DemoIT {
  @Test
  void theDemoShowsStormsConsolidatedAndTheAccountingHolds() throws Exception {
    Path log = Files.createTempFile("demo", ".log");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", Path.of("src", "simulator", "target", "csp-edge-simulator.jar").toString(), "demo", "--exit")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("NODE_MQTT_PORT", Integer.toString(FreePorts.next()));
    pb.environment().put("NODE_HTTP_PORT", Integer.toString(FreePorts.next()));
    pb.environment().put("NODE_EMBEDDED_BROKER_PORT", Integer.toString(FreePorts.next()));
    // No NODE_DATA_DIR, as README runs it: the demo makes its own directory under TMPDIR and removes it.
    Path tmp = Files.createTempDirectory("demo-tmp");
    pb.environment().remove("NODE_DATA_DIR");
    pb.environment().put("TMPDIR", tmp.toString());
    Process demo = pb.start();
    boolean finished = demo.waitFor(5, TimeUnit.MINUTES);
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) demo.destroyForcibly();
    assertTrue(finished, "the demo finishes by itself:\n" + out);
    assertEquals(0, demo.exitValue(), out);
    assertTrue(out.contains("HOLDS"), "the accounting line says it holds:\n" + out);
    assertTrue(out.contains("storm-start") && out.contains("summary") && out.contains("group") && out.contains("storm-end"),
        "a storm is shown being consolidated:\n" + out);
    assertTrue(out.contains("mosquitto_sub -h 127.0.0.1 -p "), "it says where to subscribe to the feed");
    Matcher feed = Pattern.compile("(\\d+) \\+ (\\d+) \\+ (\\d+) = (\\d+)").matcher(out);
    Matcher expected = Pattern.compile("expected duplicates (\\d+), rejected (\\d+)").matcher(out);
    assertTrue(feed.find() && expected.find(), out);
    assertEquals(expected.group(1) + "/" + expected.group(2), feed.group(2) + "/" + feed.group(3),
        "the feed's duplicates and rejected are the ones the simulator made:\n" + out);
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "a run leaves no state behind for the next one to inherit");
    }
  }
}
