package org.csp.edge.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>No event's MQTT message is larger than {@code maxMessageBytes} where it can be helped (rev 2, "Size"): a
 * summary too large is split into parts, a group is sized by {@link #hubsPerGroup}. What cannot be split (one alert
 * with a large payload under a small limit) comes out larger, and the publisher puts it in the dead letters.
 */
public final class EventFactory {
  /** The contract revision every event follows (wire format, {@code schema}). */
  public static final int SCHEMA = 2;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
  /** The most a group's hub entry takes: {"hubId":"XX-XX-XX-XX-XX-XX-XX-XX","count":2147483647}, and a comma. */
  private static final int HUB_ENTRY_BYTES = 56;
  private final int maxMessageBytes;
  private final String region;
  private final String nodeId;
  private final String prefix;
  private final NodeClock clock;
  /** Group ids need a per-node sequence: the boot time keeps them unique across restarts. */
  private final String groupIdPrefix;
  private final AtomicLong groupSequence = new AtomicLong();
  private final IsoMillis isoMillis = new IsoMillis();

  public EventFactory(String region, String nodeId, String topicPrefix, NodeClock clock) {
    this(region, nodeId, topicPrefix, clock, DEFAULT_MAX_MESSAGE_BYTES);
  }

  public EventFactory(String region, String nodeId, String topicPrefix, NodeClock clock, int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.region = region;
    this.nodeId = nodeId;
    this.prefix = topicPrefix;
    this.clock = clock;
    this.groupIdPrefix = "grp:" + region + ":" + nodeId + ":" + Long.toString(clock.millis(), 36) + ":";
  }

  /** A hub's event, as the hub's owner publishes it: one message, or the parts of a summary too large for one. */
  public List<UpstreamEvent> hubEvents(HubEvent event) {
    if (event instanceof StormEvent.Summary s) return summaryParts(s);
    return List.of(event instanceof ForwardedAlert a ? alert(a) : storm((StormEvent) event));
  }

  /** How many hubs one group event may list so that it fits {@code maxMessageBytes}, at most {@code maxHubsPerGroup}. */
  public int hubsPerGroup(int maxHubsPerGroup) {
    JsonObject empty = header(groupIdPrefix + Long.MAX_VALUE, "group", Integer.MAX_VALUE)
        .put("alertCode", "FFFF").put("periodStart", iso(0)).put("periodEnd", iso(0)).put("hubs", new JsonArray())
        .put("burstStartedAt", iso(0)).put("part", Integer.MAX_VALUE).put("parts", Integer.MAX_VALUE);
    int overhead = packetBytes(prefix + "group/FFFF", empty.toBuffer().length());
    return Math.max(1, Math.min(maxHubsPerGroup, (maxMessageBytes - overhead) / HUB_ENTRY_BYTES));
  }

  /** The size of the MQTT PUBLISH packet (QoS 1) that carries {@code payloadBytes} on {@code topic}. */
  public static int packetBytes(String topic, int payloadBytes) {
    int remaining = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + payloadBytes;
    int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
    return 1 + lengthBytes + remaining;
  }

  /**
   * A summary as one event, or, when that is larger than {@code maxMessageBytes}, as parts: the listed devices
   * shared out in order, the folded ones in the last part; each part with its own count (they add up to the
   * summary's) and its own id, the summary's id and the part's number, so that a resend gives the same ids.
   */
  private List<UpstreamEvent> summaryParts(StormEvent.Summary s) {
    String topic = prefix + "summary/" + s.alertCode();
    List<JsonObject> devices = devices(s.devices());
    UpstreamEvent whole = summary(s, s.eventId(), devices, s.otherDevices(), s.otherCount(), s.count(), 0, 0);
    if (fits(whole)) return List.of(whole);
    // Sized against the header of the last part (the longest: it carries the folded devices and the largest part number).
    int header = summary(s, s.eventId() + ":part:" + devices.size(), List.of(), s.otherDevices(), s.otherCount(),
        s.count(), devices.size(), devices.size()).payload().length();
    int room = maxMessageBytes - packetBytes(topic, header);
    List<List<JsonObject>> chunks = new ArrayList<>();
    List<JsonObject> chunk = new ArrayList<>();
    int used = 0;
    for (JsonObject d : devices) {
      int size = d.toBuffer().length() + 1;
      if (!chunk.isEmpty() && used + size > room) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        used = 0;
      }
      chunk.add(d);
      used += size;
    }
    chunks.add(chunk);
    List<UpstreamEvent> parts = new ArrayList<>(chunks.size());
    int n = chunks.size();
    for (int k = 1; k <= n; k++) {
      List<JsonObject> listed = chunks.get(k - 1);
      boolean last = k == n;
      int count = listed.stream().mapToInt(d -> d.getInteger("count")).sum() + (last ? s.otherCount() : 0);
      parts.add(summary(s, s.eventId() + ":part:" + k, listed, last ? s.otherDevices() : 0, last ? s.otherCount() : 0,
          count, k, n));
    }
    return parts;
  }

  private boolean fits(UpstreamEvent e) {
    return packetBytes(e.topic(), e.payload().length()) <= maxMessageBytes;
  }

  private UpstreamEvent summary(StormEvent.Summary s, String eventId, List<JsonObject> devices, int otherDevices,
      int otherCount, int count, int part, int parts) {
    JsonArray listed = new JsonArray();
    devices.forEach(listed::add);
    JsonObject e = header(eventId, "summary", count)
        .put("reason", s.reason().wireName())
        .put("hubId", s.hubId()).put("alertCode", s.alertCode())
        .put("periodStart", iso(s.periodStart())).put("periodEnd", iso(s.periodEnd()))
        .put("firstRaisedAt", s.firstRaisedAt()).put("lastRaisedAt", s.lastRaisedAt())
        .put("devices", listed).put("otherDevices", otherDevices).put("otherCount", otherCount);
    if (s.untrackedAlerts() > 0 && otherCount > 0) e.put("untrackedAlerts", s.untrackedAlerts());
    switch (s.reason()) {
      case STORM -> e.put("stormStartedAt", iso(s.stormStartedAt())).put("sequence", s.sequence()).put("final", s.last());
      case SILENCED -> e.put("silenceId", s.heldBy());
      case INHIBITED -> e.put("inhibitionRule", s.heldBy()).put("sourceAlertCode", s.sourceAlertCode());
    }
    if (parts > 0) e.put("part", part).put("parts", parts);
    s.devices().values().stream().map(StormEvent.DeviceCount::dmc).filter(d -> d != null).findFirst()
        .ifPresent(d -> e.put("dmc", d.toJson()));
    return event(e, prefix + "summary/" + s.alertCode());
  }

  public UpstreamEvent alert(ForwardedAlert forwarded) {
    String eventId = forwarded.eventId();
    byte[] bytes = AlertEventWriter.write(eventId, region, nodeId, iso(clock.millis()), forwarded.alert(),
        forwarded.consolidatedSinceLast(), iso(forwarded.receivedAt()));
    String code = forwarded.alert().alertCode();
    return new UpstreamEvent(eventId, "alert", code, prefix + "alert/" + code, 1, Buffer.buffer(bytes));
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
      return summary(s, s.eventId(), devices(s.devices()), s.otherDevices(), s.otherCount(), s.count(), 0, 0);
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
      if (g.parts() > 1) e.put("part", g.part()).put("parts", g.parts());
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
    return heartbeatOf(nodeId, bootId, sequence, totals, last);
  }

  /**
   * A heartbeat of another run: {@code ofNode} is the node that run was (a killed member, or this node's data
   * directory under an earlier node id), so that the DSP, which takes each node and boot's last heartbeat, finds it
   * beside that run's own.
   */
  public UpstreamEvent heartbeatOf(String ofNode, String bootId, long sequence, JsonObject totals, boolean last) {
    JsonObject e = header("heartbeat:" + ofNode + ":" + bootId + ":" + sequence, "heartbeat", 0).put("nodeId", ofNode)
        .put("bootId", bootId).put("sequence", sequence).put("final", last).mergeIn(totals);
    return event(e, prefix + "node/" + ofNode + "/heartbeat");
  }

  /**
   * A digest (rev 2): one recipient, one period; {@code eventId} is derived from the region, recipient and period
   * by the caller, so that whoever builds it again sends the same id. {@code figures} are its fields.
   */
  public UpstreamEvent digest(String eventId, String recipient, JsonObject figures) {
    JsonObject e = header(eventId, "digest", 0).mergeIn(figures).put("recipient", recipient);
    String topic = prefix + "digest/" + recipient;
    UpstreamEvent whole = event(e, topic);
    if (fits(whole)) return whole;
    JsonObject fitted = DigestFolding.fitted(e, d -> fits(event(d, topic)));
    return fitted == null ? whole : event(fitted, topic); // none fits: the dead letters take it, as any event too large
  }

  public String region() {
    return region;
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
    return new UpstreamEvent(e.getString("eventId"), e.getString("type"), e.getString("alertCode"), topic,
        e.getInteger("count"), e.toBuffer());
  }

  /** The listed devices in device id order. */
  private static List<JsonObject> devices(Map<String, StormEvent.DeviceCount> devices) {
    List<JsonObject> out = new ArrayList<>(devices.size());
    devices.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(d -> {
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
