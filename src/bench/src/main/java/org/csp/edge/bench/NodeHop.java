package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/** The node as a hop: publishers to its MQTT intake, the subscriber on its upstream topics. */
final class NodeHop implements Hop {
  private final BenchNode node;

  NodeHop(BenchNode node) {
    this.node = node;
  }

  @Override
  public String label() {
    return "node";
  }

  @Override
  public long backlog(FeedCounts feed, PublisherTotals publishers) {
    JsonObject status = node.status();
    long delivered = status.getJsonObject("events").getLong("delivered");
    return status.getLong("outboxDepth") + Math.max(0, delivered - feed.messages());
  }
}
