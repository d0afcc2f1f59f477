package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.csp.edge.support.FreePorts;
import org.csp.edge.support.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * README's local cluster, as a developer runs it: {@code node/csp-edge-cluster start 2}, {@code status}, {@code stop},
 * against the packaged jar (so after {@code package}, maven-failsafe: the script would build a missing jar itself,
 * slowly). Ports and the directory are moved off the defaults so that other runs on the machine never collide; the
 * directory, with the script's output and the nodes' logs, is target/csp-edge-cluster-*.
 */
class ClusterScriptIT {
  private static final Path SCRIPT = Path.of("node", "csp-edge-cluster");
  private static final Pattern NODE_LINE = Pattern.compile("(?m)^(node-\\d+)\\s+(\\S+)\\s+(yes|no)\\s+(ready|NOT READY|no answer|-)\\s+(\\S+)");
  private static final Pattern STOPPED = Pattern.compile("(?m)^(node-\\d+) \\(pid (\\d+)\\) stopped after \\d+ s$");

  private Path dir;
  private final List<String> options = new ArrayList<>();
  private int runs;

  @AfterEach
  void stopWhatIsLeft() throws Exception {
    if (dir == null) return;
    run(Duration.ofMinutes(3), "stop");
    try (Stream<Path> pidFiles = Files.list(dir)) { // the script failed to stop them: kill them, if they are ours
      for (Path f : pidFiles.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(f).trim()))
            .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void startStatusStopRunsATwoNodeClusterAndStopsItCleanly() throws Exception {
    Mosquitto.require("the script starts the cluster's shared Mosquitto, as README's local cluster does");
    assertTrue(Files.isRegularFile(Path.of("src", "node", "target", "csp-edge-node.jar")), "runs after package: the jar is there");
    Files.createDirectories(Path.of("target"));
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "csp-edge-cluster-"); // logs stay for a look
    int mqttBase = FreePorts.block(2);
    int httpBase = FreePorts.block(2);
    options.addAll(List.of("--dir", dir.toString(), "--mqtt-base", Integer.toString(mqttBase),
        "--http-base", Integer.toString(httpBase), "--broker-port", Integer.toString(FreePorts.next())));

    Result start = run(Duration.ofMinutes(4), "start", "2");
    assertEquals(0, start.code(), "start succeeds:\n" + start.out());
    assertFalse(start.out().contains("building"), "the jar from package is fresh: no build inside the test");
    assertTrue(start.out().contains("simulate --mqtt-port " + mqttBase), "it says how to send a storm:\n" + start.out());
    assertTrue(start.out().contains(dir.resolve("node-1.log").toString()), "it says where the logs are");

    Result status = run(Duration.ofMinutes(1), "status");
    assertEquals(0, status.code(), "every node ready:\n" + status.out());
    List<String[]> nodes = nodeLines(status.out());
    assertEquals(2, nodes.size(), status.out());
    for (String[] n : nodes) {
      assertEquals("yes", n[2], status.out());
      assertEquals("ready", n[3], status.out());
      assertEquals("2", n[4], "each node counts both members:\n" + status.out());
    }

    Result stop = run(Duration.ofMinutes(4), "stop");
    assertEquals(0, stop.code(), "every node stops on SIGTERM, within the time:\n" + stop.out());
    Matcher stopped = STOPPED.matcher(stop.out());
    List<String> stoppedNodes = new ArrayList<>();
    while (stopped.find()) {
      stoppedNodes.add(stopped.group(1));
      long pid = Long.parseLong(stopped.group(2));
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " has exited");
    }
    assertEquals(List.of("node-1", "node-2"), stoppedNodes, "one at a time, in order:\n" + stop.out());
    assertTrue(stop.out().contains("upstream broker"), "then the broker:\n" + stop.out());

    Result after = run(Duration.ofMinutes(1), "status");
    assertEquals(1, after.code(), "nothing runs any more:\n" + after.out());
    assertTrue(nodeLines(after.out()).stream().allMatch(n -> n[2].equals("no")), after.out());
  }

  private static List<String[]> nodeLines(String out) {
    List<String[]> lines = new ArrayList<>();
    Matcher m = NODE_LINE.matcher(out);
    while (m.find()) lines.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)});
    return lines;
  }

  private record Result(int code, String out) {}

  /** Runs the script with the test's options; its output goes to a file in the cluster's directory, then is read. */
  private Result run(Duration timeout, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(SCRIPT.toString()));
    args.addAll(List.of(command));
    args.addAll(options);
    Path out = dir.resolve("script-" + ++runs + "-" + String.join("-", command) + ".out");
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("NODE_")); // no developer's NODE_UPSTREAM_URL, ports, ...
    pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", args) + " did not finish within " + timeout + ":\n"
          + Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
