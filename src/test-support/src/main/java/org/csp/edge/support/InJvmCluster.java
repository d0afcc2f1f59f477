package org.csp.edge.support;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.csp.edge.Node;

/**
 * Several nodes in this JVM forming one Hazelcast cluster over loopback (cluster-config/local.xml), all
 * publishing to the same upstream broker. The cluster name is unique per instance, so concurrent test runs on
 * one machine never join each other.
 */
public final class InJvmCluster implements AutoCloseable {
  private final String upstreamUrl;
  private final String clusterName = "csp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Node> stopped = new ArrayList<>();
  private JsonObject policy = TestNodes.fastPolicy();
  private final JsonObject sections = new JsonObject();
  private JsonObject rollups;
  private org.csp.edge.decision.NodeClock clock = org.csp.edge.decision.NodeClock.SYSTEM;

  public InJvmCluster(String upstreamUrl) {
    this.upstreamUrl = upstreamUrl;
    // local.xml reads the cluster name from NODE_CLUSTER_NAME (the environment, else a system property).
    System.setProperty("NODE_CLUSTER_NAME", clusterName);
  }

  /** The alert policy of the members started from now on (default {@link TestNodes#fastPolicy()}). */
  public InJvmCluster policy(JsonObject policy) {
    this.policy = policy;
    return this;
  }

  /** The rollups section of the members started from now on (default: the node's defaults). */
  public InJvmCluster rollups(JsonObject rollups) {
    this.rollups = rollups;
    return this;
  }

  /** The clock of the members started from now on (default the system's): a test moves it. */
  public InJvmCluster clock(org.csp.edge.decision.NodeClock clock) {
    this.clock = clock;
    return this;
  }

  /** A section of the configuration of the members started from now on (e.g. security), replacing the default's. */
  public InJvmCluster section(String key, JsonObject value) {
    sections.put(key, value);
    return this;
  }

  /** Starts {@code n} members in parallel, and waits until they formed one cluster with no partition migrating. */
  public InJvmCluster start(int n) throws Exception {
    startForming(n);
    awaitPartitionsSettled(n);
    return this;
  }

  /**
   * Starts {@code n} members in parallel and returns as soon as each has joined, while partitions may still be
   * migrating between them: for tests of traffic during migration.
   */
  public InJvmCluster startForming(int n) throws Exception {
    List<CompletableFuture<Node>> starting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject config = memberConfig();
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return TestNodes.start(config, clock);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Node> f : starting) nodes.add(f.get());
    return this;
  }

  /**
   * Until every member sees {@code members} and no partition is migrating: a cluster that has just formed moves
   * partitions for a while, and a test of what members decide together starts from a formed cluster (joins and
   * leaves mid-storm are tested on their own).
   */
  private static void awaitPartitionsSettled(int members) throws InterruptedException {
    Await.until(() -> com.hazelcast.core.Hazelcast.getAllHazelcastInstances().stream()
            .filter(h -> h.getLifecycleService().isRunning())
            .allMatch(h -> h.getCluster().getMembers().size() == members),
        java.time.Duration.ofSeconds(60), () -> "the cluster of " + members + " is still forming");
    for (com.hazelcast.core.HazelcastInstance h : com.hazelcast.core.Hazelcast.getAllHazelcastInstances()) {
      if (h.getLifecycleService().isRunning()) {
        PartitionsSettled.await(h, members);
        return;
      }
    }
  }

  public Node add() throws Exception {
    Node node = TestNodes.start(memberConfig(), clock);
    nodes.add(node);
    return node;
  }

  /** A graceful stop (what SIGTERM does): its status stays readable for the accounting. */
  public void stop(Node node) throws Exception {
    TestNodes.stop(node);
    nodes.remove(node);
    stopped.add(node);
  }

  public List<Node> nodes() {
    return nodes;
  }

  public List<Integer> mqttPorts() {
    return nodes.stream().map(n -> n.config().mqttPort()).toList();
  }

  /** A status figure summed over every member, running or stopped. */
  public long sum(String field) {
    long total = 0;
    for (Node n : nodes) total += n.status().toJson().getLong(field);
    for (Node n : stopped) total += n.status().toJson().getLong(field);
    return total;
  }

  public boolean settled() {
    return nodes.stream().allMatch(n -> n.status().settled());
  }

  public String statuses() {
    StringBuilder sb = new StringBuilder();
    for (Node n : nodes) sb.append(n.config().nodeId()).append(": ").append(n.status().toJson().encode()).append('\n');
    return sb.toString();
  }

  private JsonObject memberConfig() throws Exception {
    JsonObject config = TestNodes.config(upstreamUrl);
    config.put("cluster", new JsonObject().put("config", "cluster-config/local.xml")).put("policy", policy.copy());
    sections.forEach(e -> config.put(e.getKey(), ((JsonObject) e.getValue()).copy()));
    if (rollups != null) config.put("rollups", rollups.copy());
    return config;
  }

  @Override
  public void close() throws Exception {
    for (Node n : new ArrayList<>(nodes)) TestNodes.stop(n);
    nodes.clear();
  }
}
