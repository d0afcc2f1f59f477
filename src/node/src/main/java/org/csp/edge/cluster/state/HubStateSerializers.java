package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HeldPeriodParts;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.InhibitionSource;
import org.csp.edge.decision.OpenStormParts;

/**
 * The value of the hub map, as backups and migrations copy it: the hub's tracking in its packed form (an internal
 * byte layout, named by {@code layout}), its open storms, the events waiting for the broker and its group shares.
 */
public final class HubStateSerializers {
  /** The packed layout this release writes ({@code HubState.Tracked#pack}); a later one reads this one too. */
  public static final int LAYOUT = 1;

  private HubStateSerializers() {}

  public static final class OfHubState implements CompactSerializer<HubState> {
    @Override
    public HubState read(CompactReader in) {
      int layout = in.readInt32("layout");
      if (layout != LAYOUT) throw new IllegalStateException("hub state packed in layout " + layout + ", this release reads " + LAYOUT);
      List<HubEvent> waiting = new ArrayList<>();
      for (EventSerializers.Waiting w : list(in.readArrayOfCompact("waiting", EventSerializers.Waiting.class))) waiting.add(w.event());
      Map<String, GroupShare> open = new HashMap<>();
      for (GroupShare s : list(in.readArrayOfCompact("openShares", GroupShare.class))) open.put(s.alertCode(), s);
      return HubState.of(new HubState.Parts(in.readArrayOfInt8("tracking"),
          list(in.readArrayOfCompact("storms", OpenStormParts.class)), waiting, open,
          list(in.readArrayOfCompact("sealed", GroupShare.Sealed.class)), Absent.int64(in, "version", 0),
          Absent.has(in, "held") ? list(in.readArrayOfCompact("held", HeldPeriodParts.class)) : List.of(),
          Absent.has(in, "inhibitions") ? list(in.readArrayOfCompact("inhibitions", InhibitionSource.class)) : List.of()));
    }

    @Override
    public void write(CompactWriter out, HubState hub) {
      HubState.Parts p = hub.parts();
      out.writeInt32("layout", LAYOUT);
      out.writeArrayOfInt8("tracking", p.tracking());
      out.writeArrayOfCompact("storms", orNull(p.storms().toArray(new OpenStormParts[0])));
      out.writeArrayOfCompact("waiting", orNull(p.waiting().stream().map(EventSerializers.Waiting::new)
          .toArray(EventSerializers.Waiting[]::new)));
      GroupShare[] open = p.openShares().values().toArray(new GroupShare[0]);
      Arrays.sort(open, Comparator.comparing(GroupShare::alertCode));
      out.writeArrayOfCompact("openShares", orNull(open));
      GroupShare.Sealed[] sealed = p.sealed().toArray(new GroupShare.Sealed[0]);
      Arrays.sort(sealed, Comparator.comparing(GroupShare.Sealed::groupId));
      out.writeArrayOfCompact("sealed", orNull(sealed));
      out.writeInt64("version", p.version()); // added after 0.1.0: read through Absent
      // Added after 0.1.0 (silences and inhibitions), read through Absent: null when the hub holds nothing.
      out.writeArrayOfCompact("held", orNull(p.held().toArray(new HeldPeriodParts[0])));
      out.writeArrayOfCompact("inhibitions", orNull(p.inhibitions().toArray(new InhibitionSource[0])));
    }

    @Override
    public String getTypeName() {
      return "csp.HubState";
    }

    @Override
    public Class<HubState> getCompactClass() {
      return HubState.class;
    }
  }

  public static final class OfOpenStorm implements CompactSerializer<OpenStormParts> {
    @Override
    public OpenStormParts read(CompactReader in) {
      return new OpenStormParts(in.readString("alertCode"), in.readInt64("startedAt"), in.readInt64("total"),
          in.readInt32("summariesSent"), in.readInt64("periodStart"), in.readInt32("periodCount"),
          in.readString("firstRaisedAt"), in.readInt64("firstRaisedMillis"), in.readString("lastRaisedAt"),
          in.readInt64("lastRaisedMillis"), EventSerializers.readDevices(in), in.readInt32("untracked"),
          in.readInt64("quietWindowStart"),
          in.readInt32("quietWindowCount"));
    }

    @Override
    public void write(CompactWriter out, OpenStormParts s) {
      out.writeString("alertCode", s.alertCode());
      out.writeInt64("startedAt", s.startedAt());
      out.writeInt64("total", s.total());
      out.writeInt32("summariesSent", s.summariesSent());
      out.writeInt64("periodStart", s.periodStart());
      out.writeInt32("periodCount", s.periodCount());
      out.writeString("firstRaisedAt", s.firstRaisedAt());
      out.writeInt64("firstRaisedMillis", s.firstRaisedMillis());
      out.writeString("lastRaisedAt", s.lastRaisedAt());
      out.writeInt64("lastRaisedMillis", s.lastRaisedMillis());
      EventSerializers.writeDevices(out, s.devices());
      out.writeInt32("untracked", s.untracked());
      out.writeInt64("quietWindowStart", s.quietWindowStart());
      out.writeInt32("quietWindowCount", s.quietWindowCount());
    }

    @Override
    public String getTypeName() {
      return "csp.OpenStorm";
    }

    @Override
    public Class<OpenStormParts> getCompactClass() {
      return OpenStormParts.class;
    }
  }

  public static final class OfGroupShare implements CompactSerializer<GroupShare> {
    @Override
    public GroupShare read(CompactReader in) {
      return new GroupShare(in.readString("alertCode"), in.readInt32("count"), in.readInt64("firstAt"), in.readInt64("lastAt"));
    }

    @Override
    public void write(CompactWriter out, GroupShare s) {
      out.writeString("alertCode", s.alertCode());
      out.writeInt32("count", s.count());
      out.writeInt64("firstAt", s.firstAt());
      out.writeInt64("lastAt", s.lastAt());
    }

    @Override
    public String getTypeName() {
      return "csp.GroupShare";
    }

    @Override
    public Class<GroupShare> getCompactClass() {
      return GroupShare.class;
    }
  }

  public static final class OfSealedShare implements CompactSerializer<GroupShare.Sealed> {
    @Override
    public GroupShare.Sealed read(CompactReader in) {
      return new GroupShare.Sealed(in.readString("groupId"), in.readString("creator"), in.readCompact("share"));
    }

    @Override
    public void write(CompactWriter out, GroupShare.Sealed s) {
      out.writeString("groupId", s.groupId());
      out.writeString("creator", s.creator());
      out.writeCompact("share", s.share());
    }

    @Override
    public String getTypeName() {
      return "csp.SealedShare";
    }

    @Override
    public Class<GroupShare.Sealed> getCompactClass() {
      return GroupShare.Sealed.class;
    }
  }

  /** Nothing is written as null, which costs less than an empty array; read back as empty. */
  private static <T> T[] orNull(T[] items) {
    return items.length == 0 ? null : items;
  }

  private static <T> List<T> list(T[] items) {
    return items == null ? List.of() : List.of(items);
  }
}
