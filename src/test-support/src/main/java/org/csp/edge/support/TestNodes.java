package org.csp.edge.support;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;

/** Nodes for end-to-end tests: free loopback ports, a fresh data directory, and short storm periods. */
public final class TestNodes {
  public static final int HEALTHY_RATE = 200;

  private TestNodes() {}

  /**
   * Storms trip at 5 alerts in 10 s and end after a 2 s window with fewer than 2; summaries every second. A region
   * bursts at 100 alerts of a code in 2 s: well above healthy traffic sent at {@link #HEALTHY_RATE}. The fixed
   * threshold, not the learned background: the tests send their bursts seconds after the node starts, within the
   * baseline's warm-up ({@code RegionalBaselineEndToEndTest} covers the baseline).
   */
  public static JsonObject fastPolicy() {
    return new JsonObject()
        .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("releaseThreshold", 2)
            .put("quietPeriod", "2s").put("summaryPeriod", "1s").put("regionalThreshold", 100)
            .put("regionalWindow", "2s").put("regionalRelease", 20).put("groupWait", "500ms")
            .put("regionalDetection", "threshold"))
        .put("duplicates", new JsonObject().put("retention", "10m"));
  }

  /** A configuration; {@code upstreamUrl} null means the embedded broker (on a free port). */
  public static JsonObject config(String upstreamUrl) throws Exception {
    JsonObject upstream = new JsonObject().put("reconnectMin", "100ms").put("reconnectMax", "500ms").put("ackTimeout", "5s");
    if (upstreamUrl != null) upstream.put("url", upstreamUrl);
    return new JsonObject()
        .put("node", new JsonObject().put("region", "north").put("id", "test-" + System.nanoTime())
            .put("mqttPort", FreePorts.next()).put("httpPort", FreePorts.next()).put("mqttInstances", 2)
            .put("sweepInterval", "100ms").put("statusLogInterval", "5s")
            .put("dataDir", Files.createTempDirectory("node-data").toString()))
        .put("upstream", upstream)
        .put("embeddedBroker", new JsonObject().put("port", FreePorts.next()))
        .put("outbox", new JsonObject().put("drainTimeout", "2s"))
        .put("policy", fastPolicy());
  }

  public static Node start(JsonObject config) throws Exception {
    NodeConfig c = ConfigLoader.fromJson(config, Map.of());
    return Node.start(c).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** A node on a clock of the test's (which the test moves). */
  public static Node start(JsonObject config, org.csp.edge.decision.NodeClock clock) throws Exception {
    NodeConfig c = ConfigLoader.fromJson(config, Map.of());
    return Node.start(c, clock).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Nodes started at the same time (members of one cluster join each other as they start), in the configs' order;
   * when one fails to start, those that did are stopped before the failure is thrown.
   */
  public static java.util.List<Node> startAll(java.util.List<JsonObject> configs) throws Exception {
    java.util.List<Node> nodes = new java.util.ArrayList<>();
    try {
      startAll(configs, nodes);
    } catch (Exception e) {
      try {
        stopAll(nodes);
      } catch (Exception stopping) {
        e.addSuppressed(stopping);
      }
      throw e;
    }
    return nodes;
  }

  /**
   * As {@link #startAll(java.util.List)}, into {@code started} (in the configs' order): when one fails to start, those
   * that did are still in it, for the test's cleanup to stop, and the first failure is thrown.
   */
  public static void startAll(java.util.List<JsonObject> configs, java.util.List<Node> started) throws Exception {
    java.util.List<java.util.concurrent.CompletableFuture<Node>> starting = new java.util.ArrayList<>();
    for (JsonObject c : configs) {
      JsonObject copy = c.copy();
      starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return start(copy);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    Exception failed = null;
    for (java.util.concurrent.CompletableFuture<Node> f : starting) {
      try {
        started.add(f.get(120, TimeUnit.SECONDS));
      } catch (Exception e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw failed;
  }

  public static void stop(Node node) throws Exception {
    if (node != null) node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Stops every node, each on its own: one that fails to stop has its Vert.x (and cluster member) closed, and does not
   * keep the others running into the next test. The first failure is thrown once all are stopped.
   */
  public static void stopAll(java.util.List<Node> nodes) throws Exception {
    Exception failed = null;
    for (Node n : nodes) {
      try {
        stop(n);
      } catch (Exception e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
        try {
          n.vertx().close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception closing) {
          failed.addSuppressed(closing);
        }
      }
    }
    if (failed != null) throw failed;
  }

}
