package org.csp.edge.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.cluster.ClusterInvocations;
import org.csp.edge.cluster.HubCounts;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.cluster.Quorum;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.upstream.FairShare;
import org.csp.edge.upstream.Outbox;

/** What the node is doing, for {@code GET /v1/status} and the periodic status line in the log. */
public final class NodeStatus {
  private final NodeConfig config;
  private final NodeStats stats;
  private final Outbox outbox;
  private final OwnedHubs owned;
  private final IntSupplier receiptsPending;
  private final BooleanSupplier upstreamConnected;
  private final String upstreamTarget;
  private final Instant startedAt = Instant.now();
  private volatile String bootId;
  private volatile ClusterInvocations invocations;
  private volatile Quorum quorum;
  private volatile java.util.function.LongSupplier lostHubPartitions = () -> 0;
  private volatile LongSupplier hubsTracked = () -> 0;
  private volatile LongSupplier spillCorruptLines = () -> 0;
  private volatile java.util.function.Supplier<JsonObject> journal = () -> null;
  private volatile java.util.function.Supplier<JsonObject> inventory = () -> null;
  private volatile java.util.function.Supplier<JsonObject> regionalBackgrounds = () -> null;
  private volatile FairShare order;

  public NodeStatus(NodeConfig config, NodeStats stats, Outbox outbox, OwnedHubs owned, IntSupplier receiptsPending,
      BooleanSupplier upstreamConnected, String upstreamTarget) {
    this.config = config;
    this.stats = stats;
    this.outbox = outbox;
    this.owned = owned;
    this.receiptsPending = receiptsPending;
    this.upstreamConnected = upstreamConnected;
    this.upstreamTarget = upstreamTarget;
  }

  /** Shown from now on as {@code bootId}: the id this start gives the heartbeats and the status (wire format, rev 2). */
  public void showBoot(String bootId) {
    this.bootId = bootId;
  }

  /**
   * Shown from now on as {@code recipients} (each with its codes, weight, events waiting, how long the oldest has
   * waited and events sent) and {@code priorityLane} (the same for forward-mode codes and heartbeats).
   */
  public void showRecipients(FairShare order) {
    this.order = order;
  }

  /** Shown from now on as {@code hubsTracked}: hubs whose state this member owns. */
  public void countHubs(LongSupplier hubsTracked) {
    this.hubsTracked = hubsTracked;
  }

  /** Shown from now on as {@code spillCorruptLines}: lines of the outbox spill skipped at start. */
  public void countSpillCorruptLines(LongSupplier corrupt) {
    this.spillCorruptLines = corrupt;
  }

  /** Shown from now on as {@code clusterInvocations} (see {@link ClusterInvocations#toJson}). */
  public void showInvocations(ClusterInvocations invocations) {
    this.invocations = invocations;
  }

  /** Shown from now on as {@code hubPartitionsLost}: partitions of the hub state whose every copy was lost. */
  public void showLostHubPartitions(java.util.function.LongSupplier lost) {
    this.lostHubPartitions = lost;
  }

  /** Shown from now on as {@code quorum}: required members, whether this member's side has them, alerts refused. */
  public void showQuorum(Quorum quorum) {
    this.quorum = quorum;
  }

  /** The device inventory in force and how often it filled a DMC (org.csp.edge.inventory). */
  public void showInventory(java.util.function.Supplier<JsonObject> inventory) {
    this.inventory = inventory;
  }

  /** Shown from now on as {@code regionalBackgrounds}: where the regional detector's backgrounds came from at start. */
  public void showRegionalBackgrounds(java.util.function.Supplier<JsonObject> seeded) {
    this.regionalBackgrounds = seeded;
  }

  /**
   * Shown from now on as {@code journal}: whether it is on, this run's boot id, what it wrote, and the totals of
   * earlier runs that crashed ({@code earlierBoots}), which the accounting equation needs besides this run's.
   */
  public void showJournal(java.util.function.Supplier<JsonObject> journal) {
    this.journal = journal;
  }

  public JsonObject toJson() {
    HubCounts hubs = owned.counts();
    NodeStats.Counts n = stats.counts();
    return new JsonObject()
        .put("region", config.region())
        .put("nodeId", config.nodeId())
        .put("bootId", bootId)
        .put("startedAt", startedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds())
        .put("received", n.received())
        .put("receivedByIntake", new JsonObject().put("mqtt", stats.receivedMqtt.sum()).put("http", stats.receivedHttp.sum()))
        .put("forwarded", n.forwarded())
        .put("consolidated", n.consolidated())
        .put("grouped", n.grouped())
        .put("silenced", n.silenced())
        .put("inhibited", n.inhibited())
        .put("duplicates", n.duplicates())
        .put("rejected", n.rejected())
        .put("rejectedByReason", n.rejectedByReason())
        .put("inProgress", n.inProgress())
        .put("hubsTracked", hubsTracked.getAsLong())
        .put("hubsInStorm", hubs.storming())
        .put("hubsHolding", hubs.holding())
        .put("regionalBursts", owned.regional().bursting())
        .put("regionalBackgrounds", regionalBackgrounds.get())
        .put("heldInGroups", hubs.heldInGroups())
        .put("hubsWithEventsWaiting", hubs.waiting())
        .put("groupsBeingDelivered", hubs.sealed())
        .put("clusterMembers", owned.member().members())
        .put("hubPartitionsLost", lostHubPartitions.getAsLong())
        .put("clusterInvocations", invocations == null ? null : invocations.toJson())
        .put("quorum", quorum == null ? null : new JsonObject().put("required", quorum.required())
            .put("present", quorum.present()).put("refusedAlerts", quorum.refusedAlerts()))
        .put("stormsStarted", stats.stormsStarted.sum())
        .put("stormsEnded", stats.stormsEnded.sum())
        .put("outboxDepth", outbox.depth())
        .put("outboxCapacity", outbox.capacity())
        .put("outboxBytes", outbox.bytes())
        .put("outboxCapacityBytes", outbox.capacityBytes())
        .put("spillCorruptLines", spillCorruptLines.getAsLong())
        .put("acksPending", stats.acksOwed.sum())
        .put("backPressure", outbox.congested())
        .put("acksHeld", stats.acksHeld.sum())
        .put("acksPaced", stats.acksPaced.sum())
        .put("upstreamConnected", upstreamConnected.getAsBoolean())
        .put("upstream", upstreamTarget)
        .put("upstreamConnectionsLost", stats.upstreamConnectionsLost.sum())
        .put("deadLettered", stats.deadLettered.sum())
        .put("deadLetteredAlerts", stats.deadLetteredAlerts.sum())
        .put("alertsPastDeviceBound", owned.alertsPastDeviceBound())
        .put("alertsPastCodeBound", owned.alertsPastCodeBound())
        .put("events", new JsonObject()
            .put("queued", stats.eventsQueued())
            .put("delivered", stats.eventsDelivered.sum())
            .put("resent", stats.eventsResent.sum()))
        .put("security", stats.security.toJson())
        .put("recipients", recipientsJson())
        .put("priorityLane", order == null ? null : laneJson(order.priority()))
        .put("journal", journal.get())
        .put("inventory", inventory.get());
  }

  private JsonArray recipientsJson() {
    if (order == null) return null;
    JsonArray out = new JsonArray();
    for (FairShare.Lane lane : order.recipients()) {
      out.add(new JsonObject().put("name", lane.name()).put("codes", new JsonArray(lane.recipient().codes().stream().sorted()
          .toList())).put("weight", lane.recipient().weight()).mergeIn(laneJson(lane)));
    }
    return out;
  }

  private static JsonObject laneJson(FairShare.Lane lane) {
    return new JsonObject().put("waiting", lane.waiting()).put("oldestWaitingSeconds", lane.oldestSeconds())
        .put("sent", lane.sentCount());
  }

  /** One line for the log: enough to follow a storm from a terminal. */
  public String line() {
    HubCounts hubs = owned.counts();
    return String.format(
        "received=%d forwarded=%d consolidated=%d grouped=%d duplicates=%d rejected=%d | hubs in storm=%d regional bursts=%d"
            + " | outbox=%d/%d%s upstream %s delivered=%d",
        stats.received.sum(), stats.forwarded.sum(), stats.consolidated.sum(), stats.grouped.sum(),
        stats.duplicates.sum(), stats.rejectedTotal(), hubs.storming(), owned.regional().bursting(), outbox.depth(),
        outbox.capacity(), outbox.congested() ? " BACK-PRESSURE" : "",
        upstreamConnected.getAsBoolean() ? "connected" : "DISCONNECTED", stats.eventsDelivered.sum());
  }

  /**
   * Nothing in flight, in storm, held in a group or waiting for the broker among the hubs this member owns: every
   * alert taken so far is in an event the broker has acknowledged, or counted as a duplicate or rejected.
   */
  public boolean settled() {
    return stats.undecided() == 0 && owned.counts().settled() && owned.regional().bursting() == 0
        && outbox.depth() == 0 && receiptsPending.getAsInt() == 0;
  }

  public boolean backPressure() {
    return outbox.congested();
  }

  public boolean upstreamConnected() {
    return upstreamConnected.getAsBoolean();
  }
}
