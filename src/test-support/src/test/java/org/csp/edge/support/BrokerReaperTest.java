package org.csp.edge.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that started a broker and is stopped by a signal (a bench interrupted with ^C or {@code kill}) takes its
 * broker with it. One left running kept its port: a later test's client that reached it waited for an answer that
 * Mosquitto, reading an HTTP request as the start of an MQTT packet, never gave.
 */
class BrokerReaperTest {

  @Test
  void aJvmStoppedBySigtermLeavesNoBrokerRunning() throws Exception {
    Mosquitto.require("this starts Mosquitto in a child JVM");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        BrokerOwner.class.getName())).redirectErrorStream(true).start();
    long brokerPid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("broker "), "the child JVM started no broker: " + line);
      brokerPid = Long.parseLong(line.substring("broker ".length()).trim());
      assertTrue(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false), "the broker runs");

      jvm.destroy(); // SIGTERM: the JVM runs its shutdown hooks, nobody calls close()
      assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the child JVM ended on SIGTERM");
    } finally {
      jvm.destroyForcibly();
    }
    ProcessHandle broker = ProcessHandle.of(brokerPid).orElse(null);
    if (broker != null) broker.onExit().completeOnTimeout(broker, 10, TimeUnit.SECONDS).get();
    assertFalse(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false),
        "the broker " + brokerPid + " outlived the JVM that started it");
  }

  /** The child JVM: starts a broker, says its pid, and waits to be stopped. */
  public static final class BrokerOwner {
    public static void main(String[] args) throws InterruptedException {
      MosquittoProcess broker = MosquittoProcess.start(MosquittoProcess.DEFAULT_BINARY);
      System.out.println("broker " + broker.pid());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
