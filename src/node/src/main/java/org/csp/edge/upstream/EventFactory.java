package org.csp.edge.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.decision.ForwardedAlert;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.NodeClock;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.decision.StormEvent;

/**
 * Encodes the wire format's northbound events (src/docs/wire-format.md). Event ids are derived from what the event
 * is (device and counter; hub, code, storm start and period number) wherever that identity exists, so an event
 * produced twice (a retried operation, a resent alert) carries the same id and the DSP counts it once.
 */
public final class EventFactory {
  /** The contract revision every event follows (wire-format.md, "schema"). */
  public static final int SCHEMA = 2;
  private final String region;
  private final String nodeId;
  private final String prefix;
  private final NodeClock clock;
  /** Group ids need a per-node sequence: the boot time keeps them unique across restarts. */
  private final String groupIdPrefix;
  private final AtomicLong groupSequence = new AtomicLong();
  private final IsoMillis isoMillis = new IsoMillis();

  public EventFactory(String region, String nodeId, String topicPrefix, NodeClock clock) {
    this.region = region;
    this.nodeId = nodeId;
    this.prefix = topicPrefix;
    this.clock = clock;
    this.groupIdPrefix = "grp:" + region + ":" + nodeId + ":" + Long.toString(clock.millis(), 36) + ":";
  }

  /** A hub's event, as the hub's owner publishes it. */
  public UpstreamEvent hubEvent(HubEvent event) {
    return event instanceof ForwardedAlert a ? alert(a) : storm((StormEvent) event);
  }

  public UpstreamEvent alert(ForwardedAlert forwarded) {
    String eventId = forwarded.eventId();
    byte[] bytes = AlertEventWriter.write(eventId, region, nodeId, iso(clock.millis()), forwarded.alert(),
        forwarded.consolidatedSinceLast(), iso(forwarded.receivedAt()));
    return new UpstreamEvent(eventId, "alert", prefix + "alert/" + forwarded.alert().alertCode(), 1,
        Buffer.buffer(bytes));
  }

  public UpstreamEvent storm(StormEvent storm) {
    if (storm instanceof StormEvent.Started s) {
      JsonObject e = header(s.eventId(), "storm-start", 0)
          .put("scope", "hub").put("hubId", s.hubId()).put("alertCode", s.alertCode())
          .put("rate", s.rate()).put("threshold", s.threshold()).put("windowSeconds", s.windowMillis() / 1000.0)
          .put("startedAt", iso(s.at()));
      return event(e, prefix + "storm");
    }
    if (storm instanceof StormEvent.Summary s) {
      JsonObject e = header(s.eventId(), "summary", s.count())
          .put("hubId", s.hubId()).put("alertCode", s.alertCode())
          .put("periodStart", iso(s.periodStart())).put("periodEnd", iso(s.periodEnd()))
          .put("firstRaisedAt", s.firstRaisedAt()).put("lastRaisedAt", s.lastRaisedAt())
          .put("devices", devices(s.devices())).put("stormStartedAt", iso(s.stormStartedAt()))
          .put("sequence", s.sequence()).put("final", s.last());
      s.devices().values().stream().map(StormEvent.DeviceCount::dmc).filter(d -> d != null).findFirst()
          .ifPresent(d -> e.put("dmc", d.toJson()));
      return event(e, prefix + "summary/" + s.alertCode());
    }
    StormEvent.Ended s = (StormEvent.Ended) storm;
    JsonObject e = header(s.eventId(), "storm-end", 0)
        .put("scope", "hub").put("hubId", s.hubId()).put("alertCode", s.alertCode())
        .put("startedAt", iso(s.startedAt())).put("endedAt", iso(s.endedAt()))
        .put("totalConsolidated", s.totalConsolidated()).put("summaries", s.summaries());
    return event(e, prefix + "storm");
  }

  public UpstreamEvent regional(RegionalEvent burst) {
    String burstId = region + ":" + burst.alertCode() + ":";
    if (burst instanceof RegionalEvent.Started s) {
      JsonObject e = header("storm-start:" + burstId + s.at() + ":" + nodeId, "storm-start", 0)
          .put("scope", "region").put("alertCode", s.alertCode()).put("rate", s.rate())
          .put("threshold", s.threshold()).put("windowSeconds", s.windowMillis() / 1000.0).put("startedAt", iso(s.at()));
      return event(e, prefix + "storm");
    }
    if (burst instanceof RegionalEvent.Group g) {
      JsonArray hubs = new JsonArray();
      g.hubs().forEach((hub, n) -> hubs.add(new JsonObject().put("hubId", hub).put("count", n)));
      JsonObject e = header(g.groupId(), "group", g.count())
          .put("alertCode", g.alertCode()).put("periodStart", iso(g.periodStart())).put("periodEnd", iso(g.periodEnd()))
          .put("hubs", hubs).put("burstStartedAt", iso(g.burstStartedAt()));
      return event(e, prefix + "group/" + g.alertCode());
    }
    RegionalEvent.Ended s = (RegionalEvent.Ended) burst;
    JsonObject e = header("storm-end:" + burstId + s.startedAt() + ":" + nodeId, "storm-end", 0)
        .put("scope", "region").put("alertCode", s.alertCode()).put("startedAt", iso(s.startedAt()))
        .put("endedAt", iso(s.endedAt())).put("totalGrouped", s.totalGrouped());
    return event(e, prefix + "storm");
  }

  /**
   * A heartbeat (rev 2): the node's totals since this boot, so a DSP can check the accounting from the feed alone.
   * {@code last} marks the one sent at a clean stop, whose totals are final for the boot.
   */
  public UpstreamEvent heartbeat(String bootId, long sequence, JsonObject totals, boolean last) {
    JsonObject e = header("heartbeat:" + nodeId + ":" + bootId + ":" + sequence, "heartbeat", 0)
        .put("bootId", bootId).put("sequence", sequence).put("final", last).mergeIn(totals);
    return event(e, prefix + "node/" + nodeId + "/heartbeat");
  }

  /** A new group's id: node, boot time and a sequence, so ids stay unique across restarts. */
  public String nextGroupId() {
    return groupIdPrefix + groupSequence.incrementAndGet();
  }

  private JsonObject header(String eventId, String type, int count) {
    return new JsonObject().put("eventId", eventId).put("type", type).put("region", region).put("nodeId", nodeId)
        .put("emittedAt", iso(clock.millis())).put("count", count).put("schema", SCHEMA);
  }

  private static UpstreamEvent event(JsonObject e, String topic) {
    return new UpstreamEvent(e.getString("eventId"), e.getString("type"), topic, e.getInteger("count"), e.toBuffer());
  }

  private static JsonArray devices(Map<String, StormEvent.DeviceCount> devices) {
    JsonArray out = new JsonArray();
    devices.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())).forEach(d -> {
      JsonObject o = new JsonObject().put("deviceId", d.getKey()).put("count", d.getValue().count());
      if (d.getValue().deviceType() != null) o.put("deviceType", d.getValue().deviceType());
      if (d.getValue().dmc() != null) o.put("dmc", d.getValue().dmc().toJson());
      out.add(o);
    });
    return out;
  }

  private String iso(long millis) {
    return isoMillis.format(millis);
  }
}
