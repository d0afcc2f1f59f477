package org.csp.edge.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto on a free loopback port: the DSP's broker for the node, and the bare hop the node is compared
 * with. No persistence and no limits on queued or in-flight QoS 1 messages, so that a subscriber falling behind shows
 * as a backlog and never as loss (the accounting must hold in every run). TCP_NODELAY as Vert.x's sockets have it.
 */
final class MosquittoProcess implements AutoCloseable {
  static final Path DEFAULT_BINARY = Path.of("/usr/sbin/mosquitto");
  private static final long TICKS_PER_SECOND = 100; // Linux USER_HZ, the unit of /proc/<pid>/stat times

  private final Path dir;
  private final int port;
  private final Process process;

  private MosquittoProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static MosquittoProcess start(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new BenchException("mosquitto not found at " + binary + " (apt-get install mosquitto, or --mosquitto PATH)");
    }
    try {
      Path dir = Files.createTempDirectory("bench-mosquitto");
      int port = FreePort.next();
      Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
          "listener " + port + " 127.0.0.1",
          "allow_anonymous true",
          "persistence false",
          "max_queued_messages 0", // never drop a QoS 1 message queued for a slow subscriber
          "max_inflight_messages 0", // no window on deliveries to the subscriber
          // Without it Nagle's algorithm holds a PUBACK or a delivery until the peer's delayed ACK: ~10 ms at low
          // rates, on the bare hop and on the node's upstream leg alike (the node's own sockets have TCP_NODELAY).
          "set_tcp_nodelay true",
          "log_dest file " + dir.resolve("mosquitto.log"),
          ""));
      Process p = new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
      MosquittoProcess broker = new MosquittoProcess(dir, port, p);
      broker.awaitListening();
      return broker;
    } catch (IOException e) {
      throw new BenchException("cannot start mosquitto: " + e.getMessage(), e);
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new BenchException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
        }
        Blocking.sleep(50);
      }
    }
    throw new BenchException("mosquitto did not listen on port " + port + " within 10 s");
  }

  int port() {
    return port;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** CPU seconds the broker has used (user + system), from /proc; NaN where there is no /proc. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
