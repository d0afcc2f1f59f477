package org.csp.edge.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto (Debian's package) on a loopback port, with persistence on, that a test can stop with SIGTERM
 * and start again on the same port and data. .ci/run installs it.
 */
public final class Mosquitto implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  private final int port;
  private final Path dir;
  private Process process;

  public Mosquitto() throws IOException {
    this(java.util.List.of("allow_anonymous true"));
  }

  /**
   * @param listenerLines what follows the loopback listener line: its access rules, and TLS ({@code cafile},
   *     {@code certfile}, {@code keyfile}, {@code require_certificate}) or a {@code password_file}
   */
  public Mosquitto(java.util.List<String> listenerLines) throws IOException {
    this.port = FreePorts.next();
    this.dir = Files.createTempDirectory("mosquitto");
    Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
        "listener " + port + " 127.0.0.1",
        String.join("\n", listenerLines),
        "persistence true",
        "persistence_location " + dir + "/",
        "autosave_interval 1",
        // A test subscriber may fall behind a storm: never drop its queued QoS 1 messages.
        "max_queued_messages 0",
        "max_inflight_messages 100",
        "log_dest file " + dir.resolve("mosquitto.log"),
        ""));
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  public Mosquitto start() throws IOException, InterruptedException {
    process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return this;
      } catch (IOException notYet) {
        if (!process.isAlive()) throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
        Thread.sleep(50);
      }
    }
    throw new IOException("mosquitto did not listen on " + port);
  }

  /** SIGTERM: Mosquitto saves its persistence database and exits. */
  public void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    process = null;
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

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
