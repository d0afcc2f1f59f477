package org.csp.edge.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.cluster.state.HubStateSerializers;
import org.csp.edge.decision.ForwardedAlert;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HeldPeriodParts;
import org.csp.edge.decision.HoldReason;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.InhibitionSource;
import org.csp.edge.decision.OpenStormParts;
import org.csp.edge.decision.StormEvent;

/**
 * A hub's image in a raw form of the journal's own (family {@code HUB_RAW}), instead of the cluster's Compact form:
 * its packed bytes, its open storms, the events that wait for the broker's PUBACK, and its group shares, open and
 * sealed. The hubs journaled whole are mostly these: each forwarded alert leaves its hub waiting until the broker
 * answers, each hub of a regional group holds its sealed share until the group's event is delivered, and a storming
 * hub's image is written again every {@code changesPerImage}; their Compact form was most of the journal's time on
 * the partition threads (src/bench/results/2026-12-06-journal-5.md). Every hub is carried, held periods and
 * inhibitions included (a hub an inhibition rule names is common in the regional scenarios); read back through the
 * same parts as the Compact form ({@link HubState#of(HubState.Parts)}), so the hub restored is the one either form
 * gives. The Compact form ({@code HUB}) is still read: an earlier release's journal.
 *
 * <p>Layout: form byte, tracking layout, version, the packed bytes, then the open storms, the waiting events (each
 * a kind byte, then its fields), the open shares (by code), the sealed ones (by group id), the held periods and the
 * inhibition sources, each list as its count then its items ({@link RawFields}).
 */
final class RawHubImage {
  private RawHubImage() {}

  /** The form's own version: its first byte. */
  static final byte FORM = 1;

  private static final byte FORWARDED = 1;
  private static final byte STARTED = 2;
  private static final byte SUMMARY = 3;
  private static final byte ENDED = 4;

  /** The raw form of {@code state}. */
  static byte[] of(HubState state) {
    HubState.Parts p = state.parts();
    RawFields.Out out = RawFields.Out.ofThread();
    out.put(FORM).putInt(HubStateSerializers.LAYOUT).putLong(p.version()).putBytes(p.tracking());
    out.putInt(p.storms().size());
    for (OpenStormParts o : p.storms()) {
      out.putString(o.alertCode()).putLong(o.startedAt()).putLong(o.total()).putInt(o.summariesSent())
          .putLong(o.periodStart()).putInt(o.periodCount()).putString(o.firstRaisedAt()).putLong(o.firstRaisedMillis())
          .putString(o.lastRaisedAt()).putLong(o.lastRaisedMillis()).putDevices(o.devices()).putInt(o.untracked())
          .putLong(o.quietWindowStart()).putInt(o.quietWindowCount());
    }
    out.putInt(p.waiting().size());
    for (HubEvent e : p.waiting()) event(out, e);
    GroupShare[] open = p.openShares().values().toArray(new GroupShare[0]);
    if (open.length > 1) Arrays.sort(open, Comparator.comparing(GroupShare::alertCode));
    out.putInt(open.length);
    for (GroupShare s : open) share(out, s);
    List<GroupShare.Sealed> sealed = p.sealed();
    if (sealed.size() > 1) {
      sealed = new ArrayList<>(sealed);
      sealed.sort(Comparator.comparing(GroupShare.Sealed::groupId));
    }
    out.putInt(sealed.size());
    for (GroupShare.Sealed s : sealed) share(out.putString(s.groupId()).putString(s.creator()), s.share());
    out.putInt(p.held().size());
    for (HeldPeriodParts h : p.held()) {
      out.putString(h.alertCode()).putString(h.reason().name()).putString(h.heldBy()).putString(h.sourceAlertCode())
          .putLong(h.periodStart()).putLong(h.periodEnd()).putInt(h.count()).putString(h.firstRaisedAt())
          .putLong(h.firstRaisedMillis()).putString(h.lastRaisedAt()).putLong(h.lastRaisedMillis())
          .putDevices(h.devices()).putInt(h.untracked());
    }
    out.putInt(p.inhibitions().size());
    for (InhibitionSource i : p.inhibitions()) {
      out.putString(i.rule()).putString(i.deviceId()).putString(i.sourceAlertCode()).putLong(i.until());
    }
    return out.bytes();
  }

  private static void event(RawFields.Out out, HubEvent e) {
    if (e instanceof ForwardedAlert f) {
      out.put(FORWARDED).putAlert(f.alert()).putLong(f.consolidatedSinceLast()).putLong(f.receivedAt())
          .putString(f.eventId());
    } else if (e instanceof StormEvent.Started s) {
      out.put(STARTED).putString(s.hubId()).putString(s.alertCode()).putLong(s.at())
          .putLong(Double.doubleToRawLongBits(s.rate())).putInt(s.threshold()).putLong(s.windowMillis());
    } else if (e instanceof StormEvent.Summary s) {
      out.put(SUMMARY).putString(s.hubId()).putString(s.alertCode()).putLong(s.stormStartedAt()).putInt(s.sequence())
          .putLong(s.periodStart()).putLong(s.periodEnd()).putString(s.firstRaisedAt()).putString(s.lastRaisedAt())
          .putDevices(s.devices()).putInt(s.otherDevices()).putInt(s.otherCount()).putInt(s.untrackedAlerts())
          .putString(s.reason().name()).putInt(s.count()).put((byte) (s.last() ? 1 : 0)).putString(s.heldBy())
          .putString(s.sourceAlertCode());
    } else {
      StormEvent.Ended s = (StormEvent.Ended) e; // the last kind of the sealed HubEvent
      out.put(ENDED).putString(s.hubId()).putString(s.alertCode()).putLong(s.startedAt()).putLong(s.endedAt())
          .putLong(s.totalConsolidated()).putInt(s.summaries());
    }
  }

  private static HubEvent event(RawFields.In in) {
    byte kind = in.get();
    return switch (kind) {
      case FORWARDED -> new ForwardedAlert(in.getAlert(), in.getLong(), in.getLong(), in.getString());
      case STARTED -> new StormEvent.Started(in.getString(), in.getString(), in.getLong(),
          Double.longBitsToDouble(in.getLong()), in.getInt(), in.getLong());
      case SUMMARY -> new StormEvent.Summary(in.getString(), in.getString(), in.getLong(), in.getInt(), in.getLong(),
          in.getLong(), in.getString(), in.getString(), in.getDevices(), in.getInt(), in.getInt(), in.getInt(),
          HoldReason.valueOf(in.getString()), in.getInt(), in.get() != 0, in.getString(), in.getString());
      case ENDED -> new StormEvent.Ended(in.getString(), in.getString(), in.getLong(), in.getLong(), in.getLong(),
          in.getInt());
      default -> throw new IllegalStateException("journal: a raw hub holds an event of kind " + kind + ", which this release does not know");
    };
  }

  private static void share(RawFields.Out out, GroupShare s) {
    out.putString(s.alertCode()).putInt(s.count()).putLong(s.firstAt()).putLong(s.lastAt());
  }

  private static GroupShare share(RawFields.In in) {
    return new GroupShare(in.getString(), in.getInt(), in.getLong(), in.getLong());
  }

  /** The hub {@link #of} wrote. */
  static HubState read(byte[] record) {
    RawFields.In in = new RawFields.In(record);
    byte form = in.get();
    if (form != FORM) throw new IllegalStateException("journal: a raw hub in form " + form + ", this release reads " + FORM);
    int layout = in.getInt();
    if (layout != HubStateSerializers.LAYOUT) {
      throw new IllegalStateException("journal: a hub packed in layout " + layout + ", this release reads " + HubStateSerializers.LAYOUT);
    }
    long version = in.getLong();
    byte[] tracking = in.getBytes();
    int stormCount = in.getCount();
    List<OpenStormParts> storms = new ArrayList<>(stormCount);
    for (int i = 0; i < stormCount; i++) {
      storms.add(new OpenStormParts(in.getString(), in.getLong(), in.getLong(), in.getInt(), in.getLong(), in.getInt(),
          in.getString(), in.getLong(), in.getString(), in.getLong(), in.getDevices(), in.getInt(), in.getLong(),
          in.getInt()));
    }
    int waitingCount = in.getCount();
    List<HubEvent> waiting = new ArrayList<>(waitingCount);
    for (int i = 0; i < waitingCount; i++) waiting.add(event(in));
    int openCount = in.getCount();
    Map<String, GroupShare> open = new HashMap<>();
    for (int i = 0; i < openCount; i++) {
      GroupShare s = share(in);
      open.put(s.alertCode(), s);
    }
    int sealedCount = in.getCount();
    List<GroupShare.Sealed> sealed = new ArrayList<>(sealedCount);
    for (int i = 0; i < sealedCount; i++) sealed.add(new GroupShare.Sealed(in.getString(), in.getString(), share(in)));
    int heldCount = in.getCount();
    List<HeldPeriodParts> held = new ArrayList<>(heldCount);
    for (int i = 0; i < heldCount; i++) {
      held.add(new HeldPeriodParts(in.getString(), HoldReason.valueOf(in.getString()), in.getString(), in.getString(),
          in.getLong(), in.getLong(), in.getInt(), in.getString(), in.getLong(), in.getString(), in.getLong(),
          in.getDevices(), in.getInt()));
    }
    int inhibitionCount = in.getCount();
    List<InhibitionSource> inhibitions = new ArrayList<>(inhibitionCount);
    for (int i = 0; i < inhibitionCount; i++) {
      inhibitions.add(new InhibitionSource(in.getString(), in.getString(), in.getString(), in.getLong()));
    }
    in.end();
    return HubState.of(new HubState.Parts(tracking, storms, waiting, open, sealed, version, held, inhibitions));
  }
}
