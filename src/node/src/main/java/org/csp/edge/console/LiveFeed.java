package org.csp.edge.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.cluster.StormBoard;
import org.csp.edge.ops.NodeStatus;

/**
 * One update of the live page, computed from the node's status and the storms this member owns: the same numbers
 * as {@code GET /v1/status} plus the storms by code, the top hubs, the regional bursts and the rates since the last
 * update. Every list is cut to {@code top} entries, so an update is a few kilobytes whatever the alert rate. Called
 * by one thread at a time (the live stream's tick, on a worker: it walks this member's storming hubs).
 */
final class LiveFeed {
  private final NodeStatus status;
  private final NodeStats stats;
  private final OwnedHubs owned;
  private final int top;
  private long lastNanos;
  private long lastReceived;
  private long lastForwarded;
  private long lastQueued;
  private long lastDelivered;

  LiveFeed(NodeStatus status, NodeStats stats, OwnedHubs owned, int top) {
    this.status = status;
    this.stats = stats;
    this.owned = owned;
    this.top = top;
  }

  synchronized JsonObject next() {
    long now = System.nanoTime();
    JsonObject s = status.toJson();
    StormBoard board = owned.stormBoard(top);
    JsonObject events = s.getJsonObject("events");
    long received = s.getLong("received");
    long forwarded = s.getLong("forwarded");
    long queued = events.getLong("queued");
    long delivered = events.getLong("delivered");
    double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
    JsonObject rates = new JsonObject()
        .put("receivedPerSecond", rate(received - lastReceived, seconds))
        .put("forwardedPerSecond", rate(forwarded - lastForwarded, seconds))
        .put("eventsQueuedPerSecond", rate(queued - lastQueued, seconds))
        .put("eventsDeliveredPerSecond", rate(delivered - lastDelivered, seconds));
    lastNanos = now;
    lastReceived = received;
    lastForwarded = forwarded;
    lastQueued = queued;
    lastDelivered = delivered;
    return new JsonObject()
        .put("at", Instant.now().toString())
        .put("node", new JsonObject().put("region", s.getString("region")).put("nodeId", s.getString("nodeId"))
            .put("bootId", s.getString("bootId")).put("uptimeSeconds", s.getLong("uptimeSeconds")))
        .put("rates", rates)
        .put("storms", storms(board, s))
        .put("topHubs", topHubs(board))
        .put("bursts", bursts())
        .put("outbox", pick(s, "outboxDepth", "outboxCapacity", "outboxBytes", "outboxCapacityBytes", "backPressure",
            "acksPending", "acksHeld"))
        .put("upstream", pick(s, "upstreamConnected", "upstream", "upstreamConnectionsLost", "deadLettered",
            "deadLetteredAlerts").put("events", events))
        .put("cluster", cluster(s))
        .put("accounting", accounting(s));
  }

  private static long rate(long delta, double seconds) {
    return seconds <= 0 ? 0 : Math.round(delta / seconds);
  }

  private static JsonObject storms(StormBoard board, JsonObject s) {
    JsonArray codes = new JsonArray();
    for (StormBoard.CodeStorms c : board.codes()) {
      codes.add(new JsonObject().put("alertCode", c.alertCode()).put("hubs", c.hubs()).put("consolidated", c.consolidated()));
    }
    return new JsonObject().put("codes", codes).put("codesInStorm", board.codesInStorm())
        .put("hubsInStorm", board.hubsInStorm()).put("stormsStarted", s.getLong("stormsStarted"))
        .put("stormsEnded", s.getLong("stormsEnded"));
  }

  private static JsonArray topHubs(StormBoard board) {
    JsonArray hubs = new JsonArray();
    for (StormBoard.HubStorms h : board.hubs()) {
      hubs.add(new JsonObject().put("hubId", h.hubId()).put("consolidated", h.consolidated())
          .put("alertCodes", new JsonArray(h.codes())));
    }
    return hubs;
  }

  private JsonObject bursts() {
    Map<String, Long> bursting = owned.regional().burstingCodes();
    List<Map.Entry<String, Long>> first = bursting.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .limit(top).toList();
    JsonArray codes = new JsonArray();
    for (Map.Entry<String, Long> b : first) {
      codes.add(new JsonObject().put("alertCode", b.getKey()).put("startedAt", Instant.ofEpochMilli(b.getValue()).toString())
          .put("grouped", stats.countsOf(b.getKey()).grouped.sum()));
    }
    return new JsonObject().put("codes", codes).put("bursting", bursting.size());
  }

  private JsonObject cluster(JsonObject s) {
    List<String> members = owned.member().memberAddresses();
    return new JsonObject().put("members", s.getInteger("clusterMembers"))
        .put("addresses", new JsonArray(members.subList(0, Math.min(top, members.size()))))
        .put("quorum", s.getJsonObject("quorum"));
  }

  /** The terms of the node's side of the equation, read from the same status as {@code GET /v1/status} gives. */
  private static JsonObject accounting(JsonObject s) {
    JsonObject a = pick(s, "received", "forwarded", "consolidated", "grouped", "silenced", "inhibited", "duplicates", "rejected",
        "inProgress");
    JsonObject journal = s.getJsonObject("journal");
    if (journal != null && journal.containsKey("earlierDuplicates")) {
      a.put("earlierDuplicates", journal.getLong("earlierDuplicates")).put("earlierRejected", journal.getLong("earlierRejected"));
    }
    return a;
  }

  private static JsonObject pick(JsonObject from, String... keys) {
    JsonObject out = new JsonObject();
    for (String k : keys) out.put(k, from.getValue(k));
    return out;
  }
}
