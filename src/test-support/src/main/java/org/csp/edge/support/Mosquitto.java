package org.csp.edge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Mosquitto (Debian's package) on a loopback port, with persistence on, that a test can stop with SIGTERM
 * and start again on the same port and data. The tests' set-up step (src/test-support/install-test-packages.sh)
 * installs it. The process itself is the benchmark's runner; this only chooses what a test's broker is configured
 * with.
 */
public final class Mosquitto implements DspBroker {
  public static final Path BINARY = MosquittoProcess.DEFAULT_BINARY;
  /** What a test that needs Mosquitto itself says when it is missing. */
  public static final String INSTALL = "apt-get install mosquitto";
  private final MosquittoProcess broker;

  public Mosquitto() throws IOException {
    this(List.of("allow_anonymous true"));
  }

  /**
   * @param listenerLines what follows the loopback listener line: its access rules, and TLS ({@code cafile},
   *     {@code certfile}, {@code keyfile}, {@code require_certificate}) or a {@code password_file}
   */
  public Mosquitto(List<String> listenerLines) throws IOException {
    Path dir = Files.createTempDirectory("mosquitto");
    List<String> lines = new ArrayList<>(listenerLines);
    lines.addAll(List.of(
        "persistence true",
        "persistence_location " + dir + "/",
        "autosave_interval 1",
        // A test subscriber may fall behind a storm: never drop its queued QoS 1 messages.
        "max_queued_messages 0",
        "max_inflight_messages 100"));
    broker = MosquittoProcess.configure(BINARY, dir, lines);
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * For a test that needs what only Mosquitto has (a restart that keeps sessions, a TLS listener, a password file,
   * the benchmark's bare hop): fails it, naming the package, where Mosquitto is not installed. Never a skip: a green
   * run means every test ran.
   */
  public static void require(String what) {
    if (!installed()) throw new AssertionError("needs mosquitto (" + what + "): " + INSTALL);
  }

  /** "mosquitto version 2.0.11", as the binary says it (the first line of its help). */
  static String version() {
    try {
      Process p = new ProcessBuilder(BINARY.toString(), "-h").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("mosquitto").trim();
      p.waitFor();
      return first;
    } catch (IOException e) {
      return "mosquitto";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "mosquitto";
    }
  }

  @Override
  public Mosquitto start() {
    broker.start();
    return this;
  }

  /** SIGTERM: Mosquitto saves its persistence database and exits. */
  @Override
  public void stop() {
    broker.stop();
  }

  public Path dir() {
    return broker.dir();
  }

  /** SIGSTOP: the broker hangs with its connections open, as a hung broker or a path that drops everything. */
  public void freeze() {
    signal("-STOP");
  }

  /** SIGCONT: it answers again, what it held in its sockets first. */
  public void thaw() {
    signal("-CONT");
  }

  private void signal(String which) {
    try {
      Process kill = new ProcessBuilder("kill", which, Long.toString(broker.pid())).inheritIO().start();
      if (kill.waitFor() != 0) throw new IllegalStateException("kill " + which + " " + broker.pid() + " failed");
    } catch (IOException e) {
      throw new IllegalStateException("cannot signal mosquitto: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling mosquitto", e);
    }
  }

  @Override
  public int port() {
    return broker.port();
  }

  @Override
  public String url() {
    return broker.url();
  }

  @Override
  public void close() {
    stop();
  }
}
