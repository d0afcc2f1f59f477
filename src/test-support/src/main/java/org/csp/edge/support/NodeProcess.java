package org.csp.edge.support;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in a JVM of its own ({@code java -cp <the test classpath> org.csp.edge.Main run --config FILE}), for the
 * tests that need a real crash (SIGKILL) or a real SIGTERM. Anything else is quicker with in-JVM nodes
 * ({@link TestNodes}; a {@code cluster.config} of {@link #localClusterConfig()} and a {@code NODE_CLUSTER_NAME} system
 * property make them cluster too, ClusterConfigs reading a placeholder's value from the system properties as well).
 *
 * <p>The configuration is a JSON object like {@link TestNodes#config(String)} builds, written to a file next to
 * the log under {@code target/node-processes/<cluster>/}; {@code env} adds NODE_* variables, e.g.
 * {@link #localClusterEnv(String)}. Ports left out of the configuration (or 0) are given free ones here, so that
 * {@link #mqttPort()} and {@link #httpPort()} are always known. The node's stdout and stderr go to
 * {@link #logFile()}, never to the test's output. {@link #close()} kills it if it still runs, and a shutdown hook
 * kills whatever the test JVM leaves behind.
 */
public final class NodeProcess implements AutoCloseable {
  /** The Hazelcast configuration for several members on one machine: TCP/IP join on loopback. */
  public static final String LOCAL_CLUSTER_CONFIG = "cluster-config/local.xml";
  /** local.xml's member list is fixed to 127.0.0.1:5701-5720: a member bound elsewhere would never be found. */
  public static final int LOCAL_FIRST_PORT = 5701;
  public static final int LOCAL_LAST_PORT = 5720;

  /**
   * What {@code java -jar} gets from the jar's manifest (pom.xml, maven-shade-plugin: Add-Exports, Add-Opens), for
   * Hazelcast; a plain {@code -cp} start must pass them as flags (the Jib profile lists the same).
   */
  static final List<String> MANIFEST_FLAGS = List.of(
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.management/sun.management=ALL-UNNAMED",
      "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /**
   * Small, quick-starting JVMs: several run at once on a 2-core machine that other builds share. C1 only starts
   * faster and a node under test never runs long enough for C2 to pay. Should members started at the same moment
   * each found a cluster of their own, Hazelcast merges them after 5 s rather than its default 5 minutes.
   */
  static final List<String> JVM_FLAGS = List.of(
      "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
      "-Dhazelcast.merge.first.run.delay.seconds=5", "-Dhazelcast.merge.next.run.delay.seconds=5");

  /** A member list entry with a port range, and the indentation before it. */
  private static final Pattern MEMBER_RANGE = Pattern.compile("([ \\t]*)<member>\\s*([^<:\\s]+):(\\d+)-(\\d+)\\s*</member>");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "node-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Path configFile;
  private final int mqttPort;
  private final int httpPort;

  private NodeProcess(String name, Process process, Path logFile, Path configFile, int mqttPort, int httpPort) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.configFile = configFile;
    this.mqttPort = mqttPort;
    this.httpPort = httpPort;
  }

  /**
   * Starts a node and returns at once (JVMs of one cluster start in parallel; then {@link #awaitReady(Duration)}).
   *
   * @param name   the node's name in log and config file names, e.g. {@code node-1}; also its id unless the
   *               configuration or {@code env} sets one
   * @param config the node's configuration, as {@link TestNodes#config(String)} builds it; not modified
   * @param env    NODE_* variables for the node, over the configuration; NODE_* variables of the test's own
   *               environment are not passed on, so a developer's exported settings never leak in
   */
  public static NodeProcess start(String name, JsonObject config, Map<String, String> env) throws IOException {
    JsonObject c = config.copy();
    JsonObject node = section(c, "node");
    if (!node.containsKey("id") && !env.containsKey("NODE_ID")) node.put("id", name);
    int mqtt = portOf(env, "NODE_MQTT_PORT", node, "mqttPort");
    int http = portOf(env, "NODE_HTTP_PORT", node, "httpPort");
    boolean embedded = !section(c, "upstream").containsKey("url") && !env.containsKey("NODE_UPSTREAM_URL");
    if (embedded) portOf(env, "NODE_EMBEDDED_BROKER_PORT", section(c, "embeddedBroker"), "port");

    String cluster = env.getOrDefault("NODE_CLUSTER_NAME", "single");
    Path dir = Path.of("target", "node-processes", cluster).toAbsolutePath();
    Files.createDirectories(dir);
    if (!node.containsKey("dataDir") && !env.containsKey("NODE_DATA_DIR")) {
      node.put("dataDir", dir.resolve(name + "-data").toString());
    }
    String clusterConfig = env.getOrDefault("NODE_CLUSTER_CONFIG", "");
    if (clusterConfig.equals(LOCAL_CLUSTER_CONFIG) || clusterConfig.endsWith("local-cluster.xml")) {
      requireLocalClusterPorts(1);
    }
    Path configFile = dir.resolve(name + ".json"); // JSON is YAML: the node reads it as its configuration file
    Files.writeString(configFile, c.encodePrettily(), StandardCharsets.UTF_8);
    Path log = dir.resolve(name + ".log");

    List<String> command = mainCommand(JVM_FLAGS, "run", "--config", configFile.toString());
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(log.toFile())) // a restart under the same name continues the same log
        .redirectInput(Redirect.from(new File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("NODE_"));
    pb.environment().putAll(env);
    String shown = String.join(" ", command).replace(System.getProperty("java.class.path"), "<the test classpath>");
    Files.writeString(log, HEADER + Instant.now() + " " + shown + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process process = pb.start();
    LIVE.add(process);
    return new NodeProcess(name, process, log, configFile, mqtt, http);
  }

  /**
   * {@code java <jvmFlags> <manifest flags> -cp <the test classpath> org.csp.edge.Main <args>}: the jar's entry point
   * as a process of its own, started the way {@code java -jar} would start it.
   */
  public static List<String> mainCommand(List<String> jvmFlags, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(MANIFEST_FLAGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.csp.edge.Main"));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * NODE_* variables that put a node into the local cluster {@code clusterName}: {@link #localClusterConfig()}
   * (local.xml: TCP/IP join on loopback) under that cluster name, Hazelcast ports counted from 5701. Give every
   * test its own name ({@link #uniqueClusterName()}): on a shared machine the members of other test runs sit on the
   * same 20 ports, and only the name keeps them from joining each other. The base stays 5701 because the member
   * list is fixed to 5701-5720: each member takes the first free port there (auto-increment), and with a higher
   * base it could bind past 5720, where no later member would look for it.
   */
  public static Map<String, String> localClusterEnv(String clusterName) throws IOException {
    return Map.of(
        "NODE_CLUSTER_CONFIG", localClusterConfig().toString(),
        "NODE_CLUSTER_NAME", clusterName,
        "NODE_HAZELCAST_PORT", Integer.toString(LOCAL_FIRST_PORT));
  }

  /**
   * {@code cluster-config/local.xml} as Hazelcast 5.3 can read it: the same file with a port range in the member
   * list ({@code <member>127.0.0.1:5701-5720</member>}) written out as one member per port. Hazelcast takes no port
   * range there: a member fails its start with {@code NumberFormatException: For input string: "5701-5720"}
   * (AddressUtil.getAddressHolder). Without a range the copy is the file itself. Written to
   * target/node-processes/local-cluster.xml.
   */
  public static synchronized Path localClusterConfig() throws IOException {
    Path source = Path.of(LOCAL_CLUSTER_CONFIG);
    String xml;
    if (Files.isRegularFile(source)) {
      xml = Files.readString(source, StandardCharsets.UTF_8);
    } else {
      try (var in = NodeProcess.class.getClassLoader().getResourceAsStream(LOCAL_CLUSTER_CONFIG)) {
        if (in == null) throw new IOException(LOCAL_CLUSTER_CONFIG + " is neither a file here nor on the classpath");
        xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    Matcher m = MEMBER_RANGE.matcher(xml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      StringBuilder members = new StringBuilder();
      for (int p = Integer.parseInt(m.group(3)); p <= Integer.parseInt(m.group(4)); p++) {
        members.append(members.length() == 0 ? m.group(1) : "\n" + m.group(1)).append("<member>").append(m.group(2))
            .append(':').append(p).append("</member>");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(members.toString()));
    }
    m.appendTail(out);
    Path dir = Path.of("target", "node-processes").toAbsolutePath();
    Files.createDirectories(dir);
    Path file = dir.resolve("local-cluster.xml");
    if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).contentEquals(out)) {
      Path tmp = Files.createTempFile(dir, "local-cluster", ".xml");
      Files.writeString(tmp, out, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return file;
  }

  /** A cluster name no other test run on this machine uses: this JVM's pid, a counter and a random part. */
  public static String uniqueClusterName() {
    return "csp-test-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet() + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
  }

  /**
   * Fails at once, saying why, when fewer than {@code count} of local.xml's Hazelcast ports are free (other
   * clusters on the machine hold them), rather than letting a member fail its start minutes later.
   */
  public static void requireLocalClusterPorts(int count) {
    List<Integer> free = FreePorts.freeIn(LOCAL_FIRST_PORT, LOCAL_LAST_PORT);
    if (free.size() < count) {
      throw new IllegalStateException("only " + free.size() + " of the Hazelcast ports " + LOCAL_FIRST_PORT + "-"
          + LOCAL_LAST_PORT + " (the member list of " + LOCAL_CLUSTER_CONFIG + ") are free, " + count
          + " needed: other nodes on this machine hold the rest (ss -ltnp 'sport >= 5701 and sport <= 5720')");
    }
  }

  public String name() {
    return name;
  }

  public int mqttPort() {
    return mqttPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** What starts each run's part of {@link #logFile()}: the time and the command line, written by this class. */
  public static final String HEADER = "---- ";

  /** The node's stdout and stderr, after a {@link #HEADER} line for each start. */
  public Path logFile() {
    return logFile;
  }

  public Path configFile() {
    return configFile;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Polls {@code GET /health/ready} until it answers 200; fails with the log's tail if the JVM exits first. */
  public NodeProcess awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; log "
            + logFile + ":\n" + logTail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " not ready after " + timeout + " (last /health/ready: " + health()
            + "); log " + logFile + ":\n" + logTail(40));
      }
      Thread.sleep(200);
    }
    return this;
  }

  /** {@code GET /health/ready} answers 200. */
  public boolean ready() {
    return get("/health/ready").statusCode() == 200;
  }

  /**
   * The body of {@code GET /health/ready} (200 or 503 alike): {@code started}, {@code clusterMembers},
   * {@code clusterSafe}, {@code upstreamConnected}, {@code backPressure}, {@code status}; empty when the node
   * does not answer.
   */
  public JsonObject health() {
    return json(get("/health/ready"));
  }

  /**
   * Members of the node's cluster as the node sees them ({@code clusterMembers} of /health/ready: /v1/status has
   * no member count; the {@code csp_cluster_members} gauge of /metrics says the same), -1 when it does not answer.
   */
  public int clusterMembers() {
    return health().getInteger("clusterMembers", -1);
  }

  /** {@code GET /v1/status}; fails when the node does not answer. */
  public JsonObject status() {
    Answer a = get("/v1/status");
    if (a.statusCode() != 200) throw new AssertionError(name + ": GET /v1/status answered " + a);
    return new JsonObject(a.body());
  }

  /**
   * SIGTERM ({@link Process#destroy()}), then waits for the JVM to exit: the node drains, hands its partitions over
   * and leaves the cluster. Fails (and kills the node) if it has not exited within {@code timeout}.
   *
   * @return the exit code: 143 (128 + SIGTERM) once the shutdown hook has finished
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError(name + " did not stop within " + timeout + " of SIGTERM; log " + logFile + ":\n"
          + logTail(40));
    }
    LIVE.remove(process);
    return process.exitValue();
  }

  /** {@link #terminate(Duration)} with a minute: the configurations of TestNodes drain for 2 s at most. */
  public int terminate() throws InterruptedException {
    return terminate(Duration.ofMinutes(1));
  }

  /** SIGKILL ({@link Process#destroyForcibly()}): a crash, nothing drained, no goodbye to the cluster. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    LIVE.remove(process);
    return process.exitValue();
  }

  /** The last lines of the log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Kills the node if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
    LIVE.remove(process);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", mqtt " + mqttPort + ", http " + httpPort + ")";
  }

  private record Answer(int statusCode, String body) {}

  private Answer get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(5)).GET().build();
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException notListening) {
      return new Answer(-1, notListening.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, e.toString());
    }
  }

  private static JsonObject json(Answer a) {
    if (a.statusCode() < 0) return new JsonObject();
    try {
      return new JsonObject(a.body());
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }

  private static JsonObject section(JsonObject config, String name) {
    JsonObject s = config.getJsonObject(name);
    if (s == null) {
      s = new JsonObject();
      config.put(name, s);
    }
    return s;
  }

  /** The port the node will listen on: the environment's, else the configuration's; a free one when neither says. */
  private static int portOf(Map<String, String> env, String envName, JsonObject section, String key) {
    if (env.containsKey(envName)) return Integer.parseInt(env.get(envName).trim());
    int p = section.getInteger(key, 0);
    if (p == 0) {
      p = FreePorts.next();
      section.put(key, p);
    }
    return p;
  }
}
