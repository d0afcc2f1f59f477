package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    pb.environment().put("NODE_DATA_DIR", Files.createTempDirectory("demo-data").toString());
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
  }
}
