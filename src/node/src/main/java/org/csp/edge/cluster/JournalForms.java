package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.List;
import java.util.function.Function;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.state.HubStateSerializers;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalAnswers;
import org.csp.edge.decision.Silence;

/**
 * The hub operations that carry the policy, as the journal writes them: the policy by its key ({@link HubJournal}
 * journals each policy once, under that key) instead of whole. The policy is the largest part of an operation of a
 * few alerts, and serializing it again for every journaled operation was most of the journal's cost on a storming
 * hub's changes. Registered in the journal's own serialization service only: members never send these.
 */
final class JournalForms {
  private JournalForms() {}

  /** An operation as journaled: turned back into the operation with the policies the journal holds. */
  interface Journaled {
    EntryProcessor<String, HubState, ?> operation(Function<String, AlertPolicy> policies);
  }

  /** The journal's form of {@code operation}, or {@code operation} itself when it carries no policy. */
  static Object of(Object operation, Function<AlertPolicy, String> keyOf) {
    if (operation instanceof DecideAlertsOperation d) {
      return new Decision(d.operationId(), d.alerts(), d.now(), keyOf.apply(d.policy()), d.silences(),
          d.ownersAnswers() == null ? null : d.ownersAnswers().entries());
    }
    if (operation instanceof SettleHubOperation s) {
      return new Settle(s.now(), keyOf.apply(s.policy()), s.flushOpenPeriods(), s.onBackup());
    }
    return operation;
  }

  record Decision(long operationId, List<Alert> alerts, long now, String policy, List<Silence> silences,
      long[] ownersAnswers) implements Journaled {
    @Override
    public EntryProcessor<String, HubState, ?> operation(Function<String, AlertPolicy> policies) {
      return DecideAlertsOperation.restored(operationId, alerts, now, known(policies, policy), silences,
          ownersAnswers == null ? null : new RegionalAnswers(ownersAnswers));
    }
  }

  record Settle(long now, String policy, boolean flushOpenPeriods, boolean onBackup) implements Journaled {
    @Override
    public EntryProcessor<String, HubState, ?> operation(Function<String, AlertPolicy> policies) {
      return SettleHubOperation.restored(now, known(policies, policy), flushOpenPeriods, onBackup);
    }
  }

  private static AlertPolicy known(Function<String, AlertPolicy> policies, String key) {
    AlertPolicy p = policies.apply(key);
    // Journaled before any operation that names it: a journal without it is not this release's.
    if (p == null) throw new IllegalStateException("journal: an operation names the policy " + key + ", which it does not hold");
    return p;
  }

  /**
   * The journal's form of a hub's whole state: its packed bytes alone when that is all it holds (most hubs, each hub
   * of a regional burst: one object of three fields, where the cluster's form writes nine and unfolds the share),
   * else the state itself.
   */
  static Object of(HubState hub) {
    HubState.Packed alone = hub.packedAlone();
    return alone == null ? hub : new PackedHub(HubStateSerializers.LAYOUT, alone);
  }

  /** A hub's state as the journal held it: either form. */
  static HubState hub(Object journaled) {
    if (journaled instanceof PackedHub p) {
      if (p.layout() != HubStateSerializers.LAYOUT) {
        throw new IllegalStateException("journal: a hub packed in layout " + p.layout() + ", this release reads " + HubStateSerializers.LAYOUT);
      }
      return HubState.of(p.alone());
    }
    return (HubState) journaled;
  }

  record PackedHub(int layout, HubState.Packed alone) {}

  /** Their serializers, for the journal's serialization service. */
  static List<CompactSerializer<?>> serializers() {
    return List.of(new OfDecision(), new OfSettle(), new OfPackedHub());
  }

  private static final class OfPackedHub extends OperationSerializers.Named<PackedHub> {
    OfPackedHub() {
      super("csp.journal.PackedHub", PackedHub.class);
    }

    @Override
    public PackedHub read(CompactReader in) {
      return new PackedHub(in.readInt32("layout"),
          new HubState.Packed(in.readArrayOfInt8("packed"), in.readBoolean("folded"), in.readInt64("version")));
    }

    @Override
    public void write(CompactWriter out, PackedHub p) {
      out.writeInt32("layout", p.layout());
      out.writeArrayOfInt8("packed", p.alone().bytes());
      out.writeBoolean("folded", p.alone().folded());
      out.writeInt64("version", p.alone().version());
    }
  }

  private static final class OfDecision extends OperationSerializers.Named<Decision> {
    OfDecision() {
      super("csp.journal.Decision", Decision.class);
    }

    @Override
    public Decision read(CompactReader in) {
      Alert[] alerts = in.readArrayOfCompact("alerts", Alert.class);
      Silence[] silences = in.readArrayOfCompact("silences", Silence.class);
      return new Decision(in.readInt64("operationId"), List.of(alerts), in.readInt64("now"), in.readString("policy"),
          silences == null ? List.of() : List.of(silences), in.readArrayOfInt64("ownersAnswers"));
    }

    @Override
    public void write(CompactWriter out, Decision d) {
      out.writeInt64("operationId", d.operationId());
      out.writeArrayOfCompact("alerts", d.alerts().toArray(new Alert[0]));
      out.writeInt64("now", d.now());
      out.writeString("policy", d.policy());
      out.writeArrayOfInt64("ownersAnswers", d.ownersAnswers());
      out.writeArrayOfCompact("silences", d.silences().isEmpty() ? null : d.silences().toArray(new Silence[0]));
    }
  }

  private static final class OfSettle extends OperationSerializers.Named<Settle> {
    OfSettle() {
      super("csp.journal.Settle", Settle.class);
    }

    @Override
    public Settle read(CompactReader in) {
      return new Settle(in.readInt64("now"), in.readString("policy"), in.readBoolean("flushOpenPeriods"),
          in.readBoolean("onBackup"));
    }

    @Override
    public void write(CompactWriter out, Settle s) {
      out.writeInt64("now", s.now());
      out.writeString("policy", s.policy());
      out.writeBoolean("flushOpenPeriods", s.flushOpenPeriods());
      out.writeBoolean("onBackup", s.onBackup());
    }
  }
}
