package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.csp.edge.decision.ForwardedAlert;
import org.csp.edge.decision.HoldReason;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.StormEvent;

/** The events a hub's state keeps until the broker acknowledged them. */
public final class EventSerializers {
  private EventSerializers() {}

  /**
   * One waiting event, whatever its kind: a Compact array holds items of one type, so the hub's waiting events are
   * an array of these, each with exactly one field set. A new kind of event is a new field.
   */
  record Waiting(HubEvent event) {}

  public static final class OfWaiting implements CompactSerializer<Waiting> {
    @Override
    public Waiting read(CompactReader in) {
      HubEvent event = in.readCompact("forwarded");
      if (event == null) event = in.readCompact("stormStarted");
      if (event == null) event = in.readCompact("stormSummary");
      if (event == null) event = in.readCompact("stormEnded");
      if (event == null) throw new IllegalStateException("a waiting event of a kind this release does not know");
      return new Waiting(event);
    }

    @Override
    public void write(CompactWriter out, Waiting w) {
      HubEvent e = w.event();
      out.writeCompact("forwarded", e instanceof ForwardedAlert f ? f : null);
      out.writeCompact("stormStarted", e instanceof StormEvent.Started s ? s : null);
      out.writeCompact("stormSummary", e instanceof StormEvent.Summary s ? s : null);
      out.writeCompact("stormEnded", e instanceof StormEvent.Ended s ? s : null);
    }

    @Override
    public String getTypeName() {
      return "csp.WaitingEvent";
    }

    @Override
    public Class<Waiting> getCompactClass() {
      return Waiting.class;
    }
  }

  public static final class OfForwardedAlert implements CompactSerializer<ForwardedAlert> {
    @Override
    public ForwardedAlert read(CompactReader in) {
      return new ForwardedAlert(in.readCompact("alert"), in.readInt64("consolidatedSinceLast"), in.readInt64("receivedAt"),
          in.readString("eventId"));
    }

    @Override
    public void write(CompactWriter out, ForwardedAlert f) {
      out.writeCompact("alert", f.alert());
      out.writeInt64("consolidatedSinceLast", f.consolidatedSinceLast());
      out.writeInt64("receivedAt", f.receivedAt());
      out.writeString("eventId", f.eventId());
    }

    @Override
    public String getTypeName() {
      return "csp.ForwardedAlert";
    }

    @Override
    public Class<ForwardedAlert> getCompactClass() {
      return ForwardedAlert.class;
    }
  }

  public static final class OfStormStarted implements CompactSerializer<StormEvent.Started> {
    @Override
    public StormEvent.Started read(CompactReader in) {
      return new StormEvent.Started(in.readString("hubId"), in.readString("alertCode"), in.readInt64("at"),
          in.readFloat64("rate"), in.readInt32("threshold"), in.readInt64("windowMillis"));
    }

    @Override
    public void write(CompactWriter out, StormEvent.Started s) {
      out.writeString("hubId", s.hubId());
      out.writeString("alertCode", s.alertCode());
      out.writeInt64("at", s.at());
      out.writeFloat64("rate", s.rate());
      out.writeInt32("threshold", s.threshold());
      out.writeInt64("windowMillis", s.windowMillis());
    }

    @Override
    public String getTypeName() {
      return "csp.StormStarted";
    }

    @Override
    public Class<StormEvent.Started> getCompactClass() {
      return StormEvent.Started.class;
    }
  }

  public static final class OfStormSummary implements CompactSerializer<StormEvent.Summary> {
    @Override
    public StormEvent.Summary read(CompactReader in) {
      return new StormEvent.Summary(in.readString("hubId"), in.readString("alertCode"), in.readInt64("stormStartedAt"),
          in.readInt32("sequence"), in.readInt64("periodStart"), in.readInt64("periodEnd"), in.readString("firstRaisedAt"),
          in.readString("lastRaisedAt"), Map.copyOf(readDevices(in)), in.readInt32("otherDevices"),
          in.readInt32("otherCount"), in.readInt32("untrackedAlerts"), HoldReason.valueOf(in.readString("reason")),
          in.readInt32("count"), in.readBoolean("last"), Absent.string(in, "heldBy", null),
          Absent.string(in, "sourceAlertCode", null));
    }

    @Override
    public void write(CompactWriter out, StormEvent.Summary s) {
      out.writeString("hubId", s.hubId());
      out.writeString("alertCode", s.alertCode());
      out.writeInt64("stormStartedAt", s.stormStartedAt());
      out.writeInt32("sequence", s.sequence());
      out.writeInt64("periodStart", s.periodStart());
      out.writeInt64("periodEnd", s.periodEnd());
      out.writeString("firstRaisedAt", s.firstRaisedAt());
      out.writeString("lastRaisedAt", s.lastRaisedAt());
      writeDevices(out, s.devices());
      out.writeInt32("otherDevices", s.otherDevices());
      out.writeInt32("otherCount", s.otherCount());
      out.writeInt32("untrackedAlerts", s.untrackedAlerts());
      out.writeString("reason", s.reason().name());
      out.writeInt32("count", s.count());
      out.writeBoolean("last", s.last());
      out.writeString("heldBy", s.heldBy()); // added after 0.1.0, with sourceAlertCode: read through Absent
      out.writeString("sourceAlertCode", s.sourceAlertCode());
    }

    @Override
    public String getTypeName() {
      return "csp.StormSummary";
    }

    @Override
    public Class<StormEvent.Summary> getCompactClass() {
      return StormEvent.Summary.class;
    }
  }

  public static final class OfStormEnded implements CompactSerializer<StormEvent.Ended> {
    @Override
    public StormEvent.Ended read(CompactReader in) {
      return new StormEvent.Ended(in.readString("hubId"), in.readString("alertCode"), in.readInt64("startedAt"),
          in.readInt64("endedAt"), in.readInt64("totalConsolidated"), in.readInt32("summaries"));
    }

    @Override
    public void write(CompactWriter out, StormEvent.Ended e) {
      out.writeString("hubId", e.hubId());
      out.writeString("alertCode", e.alertCode());
      out.writeInt64("startedAt", e.startedAt());
      out.writeInt64("endedAt", e.endedAt());
      out.writeInt64("totalConsolidated", e.totalConsolidated());
      out.writeInt32("summaries", e.summaries());
    }

    @Override
    public String getTypeName() {
      return "csp.StormEnded";
    }

    @Override
    public Class<StormEvent.Ended> getCompactClass() {
      return StormEvent.Ended.class;
    }
  }

  public static final class OfDeviceCount implements CompactSerializer<StormEvent.DeviceCount> {
    @Override
    public StormEvent.DeviceCount read(CompactReader in) {
      return new StormEvent.DeviceCount(in.readInt32("count"), in.readString("deviceType"), in.readCompact("dmc"));
    }

    @Override
    public void write(CompactWriter out, StormEvent.DeviceCount d) {
      out.writeInt32("count", d.count());
      out.writeString("deviceType", d.deviceType());
      out.writeCompact("dmc", d.dmc());
    }

    @Override
    public String getTypeName() {
      return "csp.DeviceCount";
    }

    @Override
    public Class<StormEvent.DeviceCount> getCompactClass() {
      return StormEvent.DeviceCount.class;
    }
  }

  /** Per device its count, as two arrays in device order ({@code deviceIds}, {@code deviceCounts}); null stays null. */
  static void writeDevices(CompactWriter out, Map<String, StormEvent.DeviceCount> devices) {
    if (devices == null) {
      out.writeArrayOfString("deviceIds", null);
      out.writeArrayOfCompact("deviceCounts", null);
      return;
    }
    Map<String, StormEvent.DeviceCount> sorted = new TreeMap<>(devices);
    out.writeArrayOfString("deviceIds", sorted.keySet().toArray(new String[0]));
    out.writeArrayOfCompact("deviceCounts", sorted.values().toArray(new StormEvent.DeviceCount[0]));
  }

  static Map<String, StormEvent.DeviceCount> readDevices(CompactReader in) {
    String[] ids = in.readArrayOfString("deviceIds");
    if (ids == null) return null;
    StormEvent.DeviceCount[] counts = in.readArrayOfCompact("deviceCounts", StormEvent.DeviceCount.class);
    Map<String, StormEvent.DeviceCount> devices = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) devices.put(ids[i], counts[i]);
    return devices;
  }
}
