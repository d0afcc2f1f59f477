package org.csp.edge.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.state.Absent;
import org.csp.edge.decision.RegionalAnswers;
import org.csp.edge.decision.Silence;

/**
 * The hub operations, the tasks that carry them to an owner, the predicates of map scans and the group record, as
 * they cross members (the evolution rule: org.csp.edge.cluster.state's package-info).
 */
final class OperationSerializers {
  private OperationSerializers() {}

  /** Every serializer here, for {@link ClusterSerializers}. */
  static List<CompactSerializer<?>> all() {
    return List.of(new OfDecideAlerts(), new OfSettleHub(), new OfAnnounceWaiting(), new OfDeliveredEvents(),
        new OfShareStep(), new OfForgetIdleHubs(), new OfIdleHubs(), new OfNeedsAttention(), new OfDecideOnOwner(),
        new OfShareStepsOnOwner(), new OfSealedGroup());
  }

  /** A compact serializer by its type name and class; the subclass reads and writes. */
  abstract static class Named<T> implements CompactSerializer<T> {
    private final String typeName;
    private final Class<T> type;

    Named(String typeName, Class<T> type) {
      this.typeName = typeName;
      this.type = type;
    }

    @Override
    public final String getTypeName() {
      return typeName;
    }

    @Override
    public final Class<T> getCompactClass() {
      return type;
    }
  }

  static final class OfDecideAlerts extends Named<DecideAlertsOperation> {
    OfDecideAlerts() {
      super("csp.DecideAlerts", DecideAlertsOperation.class);
    }

    @Override
    public DecideAlertsOperation read(CompactReader in) {
      return DecideAlertsOperation.restored(in.readInt64("operationId"),
          List.of(in.readArrayOfCompact("alerts", Alert.class)), in.readInt64("now"), in.readCompact("policy"),
          silences(in), answers(in.readArrayOfInt64("ownersAnswers")));
    }

    @Override
    public void write(CompactWriter out, DecideAlertsOperation op) {
      out.writeInt64("operationId", op.operationId());
      out.writeArrayOfCompact("alerts", op.alerts().toArray(new Alert[0]));
      out.writeInt64("now", op.now());
      out.writeCompact("policy", op.policy());
      out.writeArrayOfInt64("ownersAnswers", op.ownersAnswers() == null ? null : op.ownersAnswers().entries());
      writeSilences(out, op.silences());
    }
  }

  /** The silences an operation carries: added after 0.1.0, so none when absent. */
  private static List<Silence> silences(CompactReader in) {
    if (!Absent.has(in, "silences")) return List.of();
    Silence[] s = in.readArrayOfCompact("silences", Silence.class);
    return s == null ? List.of() : List.of(s);
  }

  private static void writeSilences(CompactWriter out, List<Silence> silences) {
    out.writeArrayOfCompact("silences", silences.isEmpty() ? null : silences.toArray(new Silence[0]));
  }

  /** The owner's regional answers, as {@link RegionalAnswers#entries} (question and answer per entry); null on the owner. */
  private static RegionalAnswers answers(long[] entries) {
    return entries == null ? null : new RegionalAnswers(entries);
  }

  static final class OfSettleHub extends Named<SettleHubOperation> {
    OfSettleHub() {
      super("csp.SettleHub", SettleHubOperation.class);
    }

    @Override
    public SettleHubOperation read(CompactReader in) {
      return SettleHubOperation.restored(in.readInt64("now"), in.readCompact("policy"), in.readBoolean("flushOpenPeriods"),
          in.readBoolean("onBackup"));
    }

    @Override
    public void write(CompactWriter out, SettleHubOperation op) {
      out.writeInt64("now", op.now());
      out.writeCompact("policy", op.policy());
      out.writeBoolean("flushOpenPeriods", op.flushOpenPeriods());
      out.writeBoolean("onBackup", op.onBackup());
    }
  }

  static final class OfAnnounceWaiting extends Named<AnnounceWaitingOperation> {
    OfAnnounceWaiting() {
      super("csp.AnnounceWaiting", AnnounceWaitingOperation.class);
    }

    @Override
    public AnnounceWaitingOperation read(CompactReader in) {
      return new AnnounceWaitingOperation(in.readCompact("policy"));
    }

    @Override
    public void write(CompactWriter out, AnnounceWaitingOperation op) {
      out.writeCompact("policy", op.policy());
    }
  }

  /** Per hub its delivered event ids: the hubs, how many ids each, and the ids one after another. */
  static final class OfDeliveredEvents extends Named<DeliveredEventsOperation> {
    OfDeliveredEvents() {
      super("csp.DeliveredEvents", DeliveredEventsOperation.class);
    }

    @Override
    public DeliveredEventsOperation read(CompactReader in) {
      String[] hubs = in.readArrayOfString("hubIds");
      int[] counts = in.readArrayOfInt32("eventCounts");
      String[] ids = in.readArrayOfString("eventIds");
      Map<String, Set<String>> byHub = new HashMap<>(hubs.length * 2);
      int at = 0;
      for (int i = 0; i < hubs.length; i++) {
        byHub.put(hubs[i], new HashSet<>(Arrays.asList(ids).subList(at, at + counts[i])));
        at += counts[i];
      }
      return DeliveredEventsOperation.restored(byHub, in.readCompact("policy"), in.readBoolean("onBackup"));
    }

    @Override
    public void write(CompactWriter out, DeliveredEventsOperation op) {
      Map<String, Set<String>> byHub = op.eventIdsByHub();
      String[] hubs = new String[byHub.size()];
      int[] counts = new int[hubs.length];
      List<String> ids = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, Set<String>> e : byHub.entrySet()) {
        hubs[i] = e.getKey();
        counts[i++] = e.getValue().size();
        ids.addAll(e.getValue());
      }
      out.writeArrayOfString("hubIds", hubs);
      out.writeArrayOfInt32("eventCounts", counts);
      out.writeArrayOfString("eventIds", ids.toArray(new String[0]));
      out.writeCompact("policy", op.policy());
      out.writeBoolean("onBackup", op.onBackup());
    }
  }

  static final class OfShareStep extends Named<ShareStepOperation> {
    OfShareStep() {
      super("csp.ShareStep", ShareStepOperation.class);
    }

    @Override
    public ShareStepOperation read(CompactReader in) {
      return ShareStepOperation.restored(ShareStepOperation.Step.valueOf(in.readString("step")), in.readString("alertCode"),
          in.readString("groupId"), in.readString("creator"), in.readCompact("policy"), in.readBoolean("onBackup"));
    }

    @Override
    public void write(CompactWriter out, ShareStepOperation op) {
      out.writeString("step", op.step().name());
      out.writeString("alertCode", op.alertCode());
      out.writeString("groupId", op.groupId());
      out.writeString("creator", op.creator());
      out.writeCompact("policy", op.policy());
      out.writeBoolean("onBackup", op.onBackup());
    }
  }

  static final class OfForgetIdleHubs extends Named<ForgetIdleHubsOperation> {
    OfForgetIdleHubs() {
      super("csp.ForgetIdleHubs", ForgetIdleHubsOperation.class);
    }

    @Override
    public ForgetIdleHubsOperation read(CompactReader in) {
      return new ForgetIdleHubsOperation(in.readInt64("before"));
    }

    @Override
    public void write(CompactWriter out, ForgetIdleHubsOperation op) {
      out.writeInt64("before", op.before());
    }
  }

  static final class OfIdleHubs extends Named<ForgetIdleHubsOperation.Idle> {
    OfIdleHubs() {
      super("csp.IdleHubs", ForgetIdleHubsOperation.Idle.class);
    }

    @Override
    public ForgetIdleHubsOperation.Idle read(CompactReader in) {
      return new ForgetIdleHubsOperation.Idle(in.readInt64("before"));
    }

    @Override
    public void write(CompactWriter out, ForgetIdleHubsOperation.Idle idle) {
      out.writeInt64("before", ForgetIdleHubsOperation.before(idle));
    }
  }

  static final class OfNeedsAttention extends Named<NeedsAttention> {
    OfNeedsAttention() {
      super("csp.NeedsAttention", NeedsAttention.class);
    }

    @Override
    public NeedsAttention read(CompactReader in) {
      return new NeedsAttention(in.readCompact("policy"));
    }

    @Override
    public void write(CompactWriter out, NeedsAttention p) {
      out.writeCompact("policy", p.policy());
    }
  }

  /** Per hub its operation id and alerts: the hubs, the ids, how many alerts each, and the alerts one after another. */
  static final class OfDecideOnOwner extends Named<DecideOnOwnerTask> {
    OfDecideOnOwner() {
      super("csp.DecideOnOwner", DecideOnOwnerTask.class);
    }

    @Override
    public DecideOnOwnerTask read(CompactReader in) {
      int[] counts = in.readArrayOfInt32("alertCounts");
      Alert[] all = in.readArrayOfCompact("alerts", Alert.class);
      List<List<Alert>> alerts = new ArrayList<>(counts.length);
      int at = 0;
      for (int n : counts) {
        alerts.add(List.of(Arrays.copyOfRange(all, at, at + n)));
        at += n;
      }
      return new DecideOnOwnerTask(in.readArrayOfString("hubIds"), in.readArrayOfInt64("operationIds"), alerts,
          in.readInt64("now"), in.readCompact("policy"), silences(in));
    }

    @Override
    public void write(CompactWriter out, DecideOnOwnerTask task) {
      List<List<Alert>> alerts = task.alerts();
      int[] counts = new int[alerts.size()];
      List<Alert> all = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        counts[i] = alerts.get(i).size();
        all.addAll(alerts.get(i));
      }
      out.writeArrayOfString("hubIds", task.hubIds());
      out.writeArrayOfInt64("operationIds", task.operationIds());
      out.writeArrayOfInt32("alertCounts", counts);
      out.writeArrayOfCompact("alerts", all.toArray(new Alert[0]));
      out.writeInt64("now", task.now());
      out.writeCompact("policy", task.policy());
      writeSilences(out, task.silences());
    }
  }

  static final class OfShareStepsOnOwner extends Named<ShareStepsOnOwnerTask> {
    OfShareStepsOnOwner() {
      super("csp.ShareStepsOnOwner", ShareStepsOnOwnerTask.class);
    }

    @Override
    public ShareStepsOnOwnerTask read(CompactReader in) {
      return new ShareStepsOnOwnerTask(in.readArrayOfString("hubIds"), in.readCompact("step"));
    }

    @Override
    public void write(CompactWriter out, ShareStepsOnOwnerTask task) {
      out.writeArrayOfString("hubIds", task.hubIds());
      out.writeCompact("step", task.step());
    }
  }

  static final class OfSealedGroup extends Named<SealedGroup> {
    OfSealedGroup() {
      super("csp.SealedGroup", SealedGroup.class);
    }

    @Override
    public SealedGroup read(CompactReader in) {
      return new SealedGroup(in.readString("groupId"), in.readString("creator"), in.readString("alertCode"),
          List.of(in.readArrayOfString("hubIds")), in.readString("topic"), in.readInt32("count"),
          in.readArrayOfInt8("payload"));
    }

    @Override
    public void write(CompactWriter out, SealedGroup g) {
      out.writeString("groupId", g.groupId());
      out.writeString("creator", g.creator());
      out.writeString("alertCode", g.alertCode());
      out.writeArrayOfString("hubIds", g.hubIds().toArray(new String[0]));
      out.writeString("topic", g.topic());
      out.writeInt32("count", g.count());
      out.writeArrayOfInt8("payload", g.payload());
    }
  }
}
