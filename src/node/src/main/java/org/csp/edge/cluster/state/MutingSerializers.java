package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.time.Duration;
import java.util.Set;
import org.csp.edge.decision.HeldPeriodParts;
import org.csp.edge.decision.HoldReason;
import org.csp.edge.decision.Inhibition;
import org.csp.edge.decision.InhibitionSource;
import org.csp.edge.decision.Silence;

/**
 * What silences and inhibitions add to the cluster's state (added after 0.1.0): the silences an operation carries,
 * the inhibition rules of the policy, and a hub's held periods and inhibition sources.
 */
public final class MutingSerializers {
  private MutingSerializers() {}

  public static final class OfSilence implements CompactSerializer<Silence> {
    @Override
    public Silence read(CompactReader in) {
      return new Silence(in.readString("id"), in.readString("alertCode"), in.readString("hubId"),
          in.readString("deviceId"), in.readString("manufacturer"), in.readString("model"), in.readString("firmware"),
          in.readInt64("startsAt"), in.readInt64("endsAt"));
    }

    @Override
    public void write(CompactWriter out, Silence s) {
      out.writeString("id", s.id());
      out.writeString("alertCode", s.alertCode());
      out.writeString("hubId", s.hubId());
      out.writeString("deviceId", s.deviceId());
      out.writeString("manufacturer", s.manufacturer());
      out.writeString("model", s.model());
      out.writeString("firmware", s.firmware());
      out.writeInt64("startsAt", s.startsAt());
      out.writeInt64("endsAt", s.endsAt());
    }

    @Override
    public String getTypeName() {
      return "csp.Silence";
    }

    @Override
    public Class<Silence> getCompactClass() {
      return Silence.class;
    }
  }

  public static final class OfInhibition implements CompactSerializer<Inhibition> {
    @Override
    public Inhibition read(CompactReader in) {
      return new Inhibition(in.readString("name"), Set.of(in.readArrayOfString("sourceCodes")),
          Set.of(in.readArrayOfString("targetCodes")), Inhibition.Scope.valueOf(in.readString("scope")),
          Duration.ofMillis(in.readInt64("durationMillis")));
    }

    @Override
    public void write(CompactWriter out, Inhibition i) {
      out.writeString("name", i.name());
      out.writeArrayOfString("sourceCodes", i.sourceCodes().stream().sorted().toArray(String[]::new));
      out.writeArrayOfString("targetCodes", i.targetCodes().stream().sorted().toArray(String[]::new));
      out.writeString("scope", i.scope().name());
      out.writeInt64("durationMillis", i.duration().toMillis());
    }

    @Override
    public String getTypeName() {
      return "csp.Inhibition";
    }

    @Override
    public Class<Inhibition> getCompactClass() {
      return Inhibition.class;
    }
  }

  public static final class OfInhibitionSource implements CompactSerializer<InhibitionSource> {
    @Override
    public InhibitionSource read(CompactReader in) {
      return new InhibitionSource(in.readString("rule"), in.readString("deviceId"), in.readString("sourceAlertCode"),
          in.readInt64("until"));
    }

    @Override
    public void write(CompactWriter out, InhibitionSource s) {
      out.writeString("rule", s.rule());
      out.writeString("deviceId", s.deviceId());
      out.writeString("sourceAlertCode", s.sourceAlertCode());
      out.writeInt64("until", s.until());
    }

    @Override
    public String getTypeName() {
      return "csp.InhibitionSource";
    }

    @Override
    public Class<InhibitionSource> getCompactClass() {
      return InhibitionSource.class;
    }
  }

  public static final class OfHeldPeriod implements CompactSerializer<HeldPeriodParts> {
    @Override
    public HeldPeriodParts read(CompactReader in) {
      return new HeldPeriodParts(in.readString("alertCode"), HoldReason.valueOf(in.readString("reason")),
          in.readString("heldBy"), in.readString("sourceAlertCode"), in.readInt64("periodStart"),
          in.readInt64("periodEnd"), in.readInt32("count"), in.readString("firstRaisedAt"),
          in.readInt64("firstRaisedMillis"), in.readString("lastRaisedAt"), in.readInt64("lastRaisedMillis"),
          EventSerializers.readDevices(in), in.readInt32("untracked"));
    }

    @Override
    public void write(CompactWriter out, HeldPeriodParts h) {
      out.writeString("alertCode", h.alertCode());
      out.writeString("reason", h.reason().name());
      out.writeString("heldBy", h.heldBy());
      out.writeString("sourceAlertCode", h.sourceAlertCode());
      out.writeInt64("periodStart", h.periodStart());
      out.writeInt64("periodEnd", h.periodEnd());
      out.writeInt32("count", h.count());
      out.writeString("firstRaisedAt", h.firstRaisedAt());
      out.writeInt64("firstRaisedMillis", h.firstRaisedMillis());
      out.writeString("lastRaisedAt", h.lastRaisedAt());
      out.writeInt64("lastRaisedMillis", h.lastRaisedMillis());
      EventSerializers.writeDevices(out, h.devices());
      out.writeInt32("untracked", h.untracked());
    }

    @Override
    public String getTypeName() {
      return "csp.HeldPeriod";
    }

    @Override
    public Class<HeldPeriodParts> getCompactClass() {
      return HeldPeriodParts.class;
    }
  }
}
