package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;

/** An alert as it travels in a decide operation and waits in a hub's state (a forwarded alert). */
public final class AlertSerializers {
  private AlertSerializers() {}

  public static final class OfAlert implements CompactSerializer<Alert> {
    @Override
    public Alert read(CompactReader in) {
      return new Alert(in.readString("hubId"), in.readString("deviceId"), in.readString("deviceType"),
          in.readString("alertCode"), in.readInt64("originatorCounter"), in.readString("raisedAt"),
          in.readInt64("raisedAtMillis"), in.readCompact("dmc"), in.readString("payload"));
    }

    @Override
    public void write(CompactWriter out, Alert a) {
      out.writeString("hubId", a.hubId());
      out.writeString("deviceId", a.deviceId());
      out.writeString("deviceType", a.deviceType());
      out.writeString("alertCode", a.alertCode());
      out.writeInt64("originatorCounter", a.originatorCounter());
      out.writeString("raisedAt", a.raisedAt());
      out.writeInt64("raisedAtMillis", a.raisedAtMillis());
      out.writeCompact("dmc", a.dmc());
      out.writeString("payload", a.payload());
    }

    @Override
    public String getTypeName() {
      return "csp.Alert";
    }

    @Override
    public Class<Alert> getCompactClass() {
      return Alert.class;
    }
  }

  public static final class OfDmc implements CompactSerializer<Dmc> {
    @Override
    public Dmc read(CompactReader in) {
      return new Dmc(in.readString("manufacturer"), in.readString("model"), in.readString("firmware"));
    }

    @Override
    public void write(CompactWriter out, Dmc d) {
      out.writeString("manufacturer", d.manufacturer());
      out.writeString("model", d.model());
      out.writeString("firmware", d.firmware());
    }

    @Override
    public String getTypeName() {
      return "csp.Dmc";
    }

    @Override
    public Class<Dmc> getCompactClass() {
      return Dmc.class;
    }
  }
}
