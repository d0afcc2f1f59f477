package org.csp.edge.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Several {@link NodeProcess}es forming one cluster of their own ({@code cluster-config/local.xml} under a
 * {@link NodeProcess#uniqueClusterName() unique name}), all publishing to one upstream broker. Nodes are named
 * node-1, node-2, ... in the order they were started, and configured by {@link TestNodes#config(String)}.
 *
 * <pre>{@code
 * try (DspBroker broker = DspBroker.create().start(); LocalCluster cluster = LocalCluster.start(3, broker.url())) {
 *   cluster.node(2).kill();
 *   cluster.awaitMembers(2, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
  /** JVM start, join and first partition migration of a node, on a busy 2-core machine. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String name = NodeProcess.uniqueClusterName();
  private final String upstreamUrl;
  private final Map<String, String> env;
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();

  private LocalCluster(String upstreamUrl, Map<String, String> env) {
    this.upstreamUrl = upstreamUrl;
    this.env = env;
  }

  /**
   * Starts {@code size} node JVMs at once and returns when every one is ready and counts {@code size} members.
   *
   * @param upstreamUrl the broker every node publishes to (e.g. {@link DspBroker#url()}); null gives each node its
   *                    own embedded broker
   */
  public static LocalCluster start(int size, String upstreamUrl) throws IOException, InterruptedException {
    return start(size, upstreamUrl, Map.of());
  }

  /** As {@link #start(int, String)}, each node with the NODE_* variables {@code env} as well (e.g. a quorum). */
  public static LocalCluster start(int size, String upstreamUrl, Map<String, String> env) throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(upstreamUrl, env);
    try {
      NodeProcess.requireLocalClusterPorts(size);
      for (int i = 0; i < size; i++) cluster.launch();
      for (NodeProcess n : cluster.nodes) n.awaitReady(START_TIMEOUT);
      cluster.awaitMembers(size, START_TIMEOUT);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts one more node and returns when it is ready (it has joined; see {@link #awaitMembers}). */
  public NodeProcess add() throws IOException, InterruptedException {
    return launch().awaitReady(START_TIMEOUT);
  }

  private NodeProcess launch() throws IOException {
    String nodeName = "node-" + (nodes.size() + 1);
    JsonObject config;
    try {
      config = TestNodes.config(upstreamUrl);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    config.getJsonObject("node").put("id", nodeName);
    Map<String, String> nodeEnv = new java.util.HashMap<>(NodeProcess.localClusterEnv(name));
    nodeEnv.putAll(env);
    NodeProcess node = NodeProcess.start(nodeName, config, nodeEnv);
    nodes.add(node);
    return node;
  }

  /** The cluster name, unique to this cluster; also the folder of the logs: target/node-processes/NAME/. */
  public String name() {
    return name;
  }

  /** node-{@code i}, 1-based, alive or not. */
  public NodeProcess node(int i) {
    return nodes.get(i - 1);
  }

  /** Every node started, alive or not. */
  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes whose JVM still runs. */
  public List<NodeProcess> running() {
    return nodes.stream().filter(NodeProcess::isAlive).toList();
  }

  /** Waits until every running node is ready and counts {@code expected} members. */
  public void awaitMembers(int expected, Duration timeout) throws InterruptedException {
    Await.until(() -> running().stream().allMatch(n -> n.ready() && n.clusterMembers() == expected), timeout,
        () -> "every running node ready with " + expected + " members; now " + describe());
  }

  /** Each running node's /health/ready, for failure messages. */
  public String describe() {
    return running().stream().map(n -> n.name() + "=" + n.health().encode()).collect(Collectors.joining(", "))
        + " (logs in " + (nodes.isEmpty() ? "-" : nodes.get(0).logFile().getParent()) + ")";
  }

  /** Kills every node still running. */
  @Override
  public void close() throws InterruptedException {
    List<NodeProcess> all = new ArrayList<>(nodes);
    for (NodeProcess n : all) n.close();
  }
}
