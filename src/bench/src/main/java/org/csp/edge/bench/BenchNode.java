package org.csp.edge.bench;

import org.csp.edge.support.FreePort;
import org.csp.edge.support.MosquittoProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.csp.edge.Node;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;

/**
 * The node under test, in this JVM: one node, or a local cluster of several members (cluster-config/local.xml, a
 * cluster name of this run's own so that it joins nothing else on the machine). Production defaults (policy
 * included) except what a benchmark must choose itself: free loopback ports, fresh data directories, the bench's
 * Mosquitto as the DSP broker, and a long enough drain at stop that nothing is spilled (a spilled event never
 * reaches the subscriber, and the accounting would not hold). The environment is not read: a NODE_* variable of the
 * shell must not change what is measured.
 */
final class BenchNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(180);

  private final List<Node> members;
  private boolean stopped;

  private BenchNode(List<Node> members) {
    this.members = members;
  }

  /** {@code policy}: the scenario's alert policy on top of the production defaults; null for none. */
  static BenchNode start(MosquittoProcess upstream, int members, JsonObject policy, boolean journal, boolean rollups) {
    String clusterConfig = "cluster-config/single.xml";
    if (members > 1) {
      clusterConfig = "cluster-config/local.xml";
      // local.xml reads its cluster name from NODE_CLUSTER_NAME (the environment, else this property).
      System.setProperty("NODE_CLUSTER_NAME", "csp-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }
    List<Node> started = new ArrayList<>();
    try {
      for (int i = 1; i <= members; i++) {
        NodeConfig config = ConfigLoader.fromJson(memberConfig(upstream, members == 1 ? "bench" : "bench-" + i, clusterConfig, policy, journal, rollups),
            Map.of());
        started.add(Blocking.await(Node.start(config), START_TIMEOUT));
      }
    } catch (RuntimeException e) {
      new BenchNode(started).stop();
      throw e;
    }
    return new BenchNode(started);
  }

  private static JsonObject memberConfig(MosquittoProcess upstream, String id, String clusterConfig, JsonObject policy,
      boolean journal, boolean rollups) {
    try {
      JsonObject config = new JsonObject()
          .put("node", new JsonObject().put("region", "central").put("id", id)
              .put("mqttPort", FreePort.next()).put("httpPort", FreePort.next())
              .put("dataDir", Files.createTempDirectory("bench-node").toString()))
          .put("upstream", new JsonObject().put("url", upstream.url()))
          .put("outbox", new JsonObject().put("drainTimeout", "120s"))
          // The bench measures what the node can take: no per-connection rate limit in the way.
          .put("limits", new JsonObject().put("messagesPerSecond", 0))
          .put("cluster", new JsonObject().put("config", clusterConfig))
          .put("durability", new JsonObject().put("journal", journal ? "on" : "off"))
          .put("rollups", new JsonObject().put("enabled", rollups));
      if (policy != null) config.put("policy", policy.copy());
      return config;
    } catch (IOException e) {
      throw new BenchException("cannot create the node's data directory: " + e.getMessage(), e);
    }
  }

  /** Every member's MQTT port: the publisher connections are spread over them, as a load balancer would. */
  List<Integer> mqttPorts() {
    return members.stream().map(n -> n.config().mqttPort()).toList();
  }

  /** The first member's HTTP port (its API and console). */
  int httpPort() {
    return members.get(0).httpPort();
  }

  String host() {
    return members.get(0).config().bindHost();
  }

  /** The filter that takes every northbound event of the node. */
  String feedFilter() {
    return members.get(0).config().topicPrefix() + "#";
  }

  int size() {
    return members.size();
  }

  /** {@code GET /v1/status}, read in-process; for a cluster the figures the bench reads, summed over the members. */
  JsonObject status() {
    if (members.size() == 1) return members.get(0).status().toJson();
    JsonObject sum = null;
    for (Node n : members) sum = sum == null ? n.status().toJson() : MemberSums.add(sum, n.status().toJson());
    return sum;
  }

  /**
   * Graceful stop, one member at a time: a member that leaves others behind hands its hubs over; the last one emits
   * the open summaries and groups, and gives the broker its drain time to take the outbox. Only after this has every
   * alert an event upstream.
   */
  void stop() {
    if (stopped) return;
    stopped = true;
    for (int i = members.size() - 1; i >= 0; i--) Blocking.await(members.get(i).stop(), STOP_TIMEOUT);
    // Each scenario's journal and rollups (tens of MB): a whole bench left hundreds of MB in the temporary directory.
    for (Node n : members) deleteTree(n.config().dataDir());
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not delete the node's data directory " + dir + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
