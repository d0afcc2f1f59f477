package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.csp.edge.Node;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;

/**
 * The node under test, in this JVM: production defaults (policy included) except what a benchmark must choose itself:
 * free loopback ports, a fresh data directory, the bench's Mosquitto as the DSP broker, and a long enough drain at
 * stop that nothing is spilled (a spilled event never reaches the subscriber, and the accounting would not hold).
 * The environment is not read: a NODE_* variable of the shell must not change what is measured.
 */
final class BenchNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(180);

  private final Node node;
  private boolean stopped;

  private BenchNode(Node node) {
    this.node = node;
  }

  static BenchNode start(MosquittoProcess upstream) {
    JsonObject json;
    try {
      json = new JsonObject()
          .put("node", new JsonObject().put("region", "central").put("id", "bench")
              .put("mqttPort", FreePort.next()).put("httpPort", FreePort.next())
              .put("dataDir", Files.createTempDirectory("bench-node").toString()))
          .put("upstream", new JsonObject().put("url", upstream.url()))
          .put("outbox", new JsonObject().put("drainTimeout", "120s"))
          // The bench measures what the node can take: no per-connection rate limit in the way.
          .put("limits", new JsonObject().put("messagesPerSecond", 0))
          .put("cluster", new JsonObject().put("config", "cluster-config/single.xml"));
    } catch (IOException e) {
      throw new BenchException("cannot create the node's data directory: " + e.getMessage(), e);
    }
    NodeConfig config = ConfigLoader.fromJson(json, Map.of());
    return new BenchNode(Blocking.await(Node.start(config), START_TIMEOUT));
  }

  int mqttPort() {
    return node.config().mqttPort();
  }

  String host() {
    return node.config().bindHost();
  }

  /** The filter that takes every northbound event of the node. */
  String feedFilter() {
    return node.config().topicPrefix() + "#";
  }

  /** {@code GET /v1/status}, read in-process. */
  JsonObject status() {
    return node.status().toJson();
  }

  /**
   * Graceful stop: as the last member of its cluster the node emits its open summaries and groups, and gives the
   * broker its drain time to take the outbox. Only after this has every alert an event upstream.
   */
  void stop() {
    if (stopped) return;
    stopped = true;
    Blocking.await(node.stop(), STOP_TIMEOUT);
  }

  @Override
  public void close() {
    stop();
  }
}
