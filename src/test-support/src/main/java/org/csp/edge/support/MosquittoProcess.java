package org.csp.edge.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto on a free loopback port, configured by the caller's lines: for the benchmark, the DSP's broker and
 * the bare hop the node is compared with ({@link #start(Path)}); for the tests, a persistent broker they can stop
 * with SIGTERM and start again on the same port and data.
 */
public final class MosquittoProcess implements AutoCloseable {
  public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/mosquitto");

  /**
   * The benchmark's broker: no persistence and no limits on queued or in-flight QoS 1 messages, so that a subscriber
   * falling behind shows as a backlog and never as loss (the accounting must hold in every run).
   */
  private static final List<String> BENCH = List.of(
      "allow_anonymous true",
      "persistence false",
      "max_queued_messages 0", // never drop a QoS 1 message queued for a slow subscriber
      "max_inflight_messages 0", // no window on deliveries to the subscriber
      // Without it Nagle's algorithm holds a PUBACK or a delivery until the peer's delayed ACK: ~10 ms at low
      // rates, on the bare hop and on the node's upstream leg alike (the node's own sockets have TCP_NODELAY).
      "set_tcp_nodelay true");

  /**
   * The brokers running: stopped when the JVM ends on a signal (SIGTERM, ^C), where nobody calls {@link #close}. A
   * bench stopped that way left its broker running, and a later test reaching its port waited for ever.
   */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(MosquittoProcess::end), "mosquitto-reaper"));
  }

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private MosquittoProcess(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  public static MosquittoProcess start(Path binary) {
    try {
      return configure(binary, Files.createTempDirectory("bench-mosquitto"), BENCH).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start mosquitto: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code dir}/mosquitto.conf, not started yet: a loopback listener on a free port, then {@code lines} (its
   * access rules, TLS, persistence...), and the log in {@code dir}.
   */
  public static MosquittoProcess configure(Path binary, Path dir, List<String> lines) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("mosquitto not found at " + binary + " (apt-get install mosquitto, or --mosquitto PATH)");
    }
    MosquittoProcess broker = new MosquittoProcess(binary, dir, FreePort.next());
    List<String> conf = new ArrayList<>();
    conf.add("listener " + broker.port + " 127.0.0.1");
    conf.addAll(lines);
    // Started as root, Mosquitto drops to the user 'mosquitto', which cannot write in our private temporary
    // directory: no log, and silently no persistence database, so a persistent session did not survive a restart
    // (UpstreamOutageTest's flakes: a subscriber's queued events lost whenever the node reconnected first). Staying
    // the user that started it keeps its files in its own directory.
    conf.add("user " + System.getProperty("user.name"));
    conf.add("log_dest file " + dir.resolve("mosquitto.log"));
    try {
      Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", conf) + "\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the mosquitto configuration: " + e.getMessage(), e);
    }
    return broker;
  }

  /** Starts it (again, after {@link #stop}: same port, same configuration and data) and waits until it listens. */
  public MosquittoProcess start() {
    try {
      process = new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
      LIVE.add(process);
      awaitListening();
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start mosquitto: " + e.getMessage(), e);
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while mosquitto started", e);
        }
      }
    }
    throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s");
  }

  /** SIGTERM: Mosquitto saves its persistence database, if it has one, and exits. */
  public void stop() {
    if (process == null) return;
    end(process);
    LIVE.remove(process);
    process = null;
  }

  /** SIGTERM, then SIGKILL if it has not ended within 10 s; waited for, so that no zombie is left either. */
  private static void end(Process broker) {
    broker.destroy();
    try {
      if (!broker.waitFor(10, TimeUnit.SECONDS)) broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public Path dir() {
    return dir;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The broker's process id, or -1 while it is not running. */
  public long pid() {
    Process running = process;
    return running == null ? -1 : running.pid();
  }

  @Override
  public void close() {
    stop();
  }
}
