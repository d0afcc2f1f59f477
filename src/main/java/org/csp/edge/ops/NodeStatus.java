package org.csp.edge.ops;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.consolidation.RegionalBursts;
import org.csp.edge.consolidation.StormRegistry;
import org.csp.edge.upstream.Outbox;

/** What the node is doing, for {@code GET /v1/status} and the periodic status line in the log. */
public final class NodeStatus {
  private final NodeConfig config;
  private final NodeStats stats;
  private final Outbox outbox;
  private final StormRegistry storms;
  private final RegionalBursts regional;
  private final BooleanSupplier upstreamConnected;
  private final String upstreamTarget;
  private final Instant startedAt = Instant.now();

  public NodeStatus(NodeConfig config, NodeStats stats, Outbox outbox, StormRegistry storms, RegionalBursts regional,
      BooleanSupplier upstreamConnected, String upstreamTarget) {
    this.config = config;
    this.stats = stats;
    this.outbox = outbox;
    this.storms = storms;
    this.regional = regional;
    this.upstreamConnected = upstreamConnected;
    this.upstreamTarget = upstreamTarget;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("region", config.region())
        .put("nodeId", config.nodeId())
        .put("startedAt", startedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds())
        .put("received", stats.received.sum())
        .put("receivedByIntake", new JsonObject().put("mqtt", stats.receivedMqtt.sum()).put("http", stats.receivedHttp.sum()))
        .put("forwarded", stats.forwarded.sum())
        .put("consolidated", stats.consolidated.sum())
        .put("grouped", stats.grouped.sum())
        .put("duplicates", stats.duplicates.sum())
        .put("rejected", stats.rejectedTotal())
        .put("rejectedByReason", stats.rejectedByReason())
        .put("inProgress", stats.undecided())
        .put("hubsInStorm", storms.size())
        .put("regionalBursts", regional.bursting())
        .put("heldInGroups", regional.held())
        .put("stormsStarted", stats.stormsStarted.sum())
        .put("stormsEnded", stats.stormsEnded.sum())
        .put("outboxDepth", outbox.depth())
        .put("outboxCapacity", outbox.capacity())
        .put("backPressure", outbox.congested())
        .put("acksHeld", stats.acksHeld.sum())
        .put("upstreamConnected", upstreamConnected.getAsBoolean())
        .put("upstream", upstreamTarget)
        .put("events", new JsonObject()
            .put("queued", stats.eventsQueued())
            .put("delivered", stats.eventsDelivered.sum())
            .put("resent", stats.eventsResent.sum()))
        .put("security", stats.security.toJson());
  }

  /** One line for the log: enough to follow a storm from a terminal. */
  public String line() {
    return String.format(
        "received=%d forwarded=%d consolidated=%d grouped=%d duplicates=%d rejected=%d | hubs in storm=%d regional bursts=%d"
            + " | outbox=%d/%d%s upstream %s delivered=%d",
        stats.received.sum(), stats.forwarded.sum(), stats.consolidated.sum(), stats.grouped.sum(),
        stats.duplicates.sum(), stats.rejectedTotal(), storms.size(), regional.bursting(), outbox.depth(),
        outbox.capacity(), outbox.congested() ? " BACK-PRESSURE" : "",
        upstreamConnected.getAsBoolean() ? "connected" : "DISCONNECTED", stats.eventsDelivered.sum());
  }

  /**
   * Nothing in flight, in storm, held in a group or waiting in the outbox: every alert taken so far is in an
   * event the broker has acknowledged, or counted as a duplicate or rejected.
   */
  public boolean settled() {
    return stats.undecided() == 0 && storms.size() == 0 && regional.held() == 0 && regional.bursting() == 0
        && outbox.depth() == 0;
  }

  public boolean backPressure() {
    return outbox.congested();
  }

  public boolean upstreamConnected() {
    return upstreamConnected.getAsBoolean();
  }
}
