package org.csp.edge.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.state.HubStateSerializers;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalAnswers;
import org.csp.edge.decision.Silence;

/**
 * The hub operations that carry the policy (a decision, a settlement, a group share's step), as the journal writes
 * them: the policy by its key ({@link HubJournal} journals each policy once, under that key) instead of whole. The
 * policy is the largest part of an operation of a few alerts, and serializing it again for every journaled operation
 * was most of the journal's cost on a storming hub's changes (a share's step too: src/bench/results/2026-12-07-journal-13.md). Registered in the journal's own serialization service only: members never send these. And the
 * raw form of a hub that is its packed bytes alone, which needs no serialization service.
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
    if (operation instanceof ShareStepOperation s) {
      return new ShareStep(s.step(), s.alertCode(), s.groupId(), s.creator(), keyOf.apply(s.policy()), s.onBackup());
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

  /** A storming hub's step in a regional group (a hub can storm on one code and be grouped on another). */
  record ShareStep(ShareStepOperation.Step step, String alertCode, String groupId, String creator, String policy,
      boolean onBackup) implements Journaled {
    @Override
    public EntryProcessor<String, HubState, ?> operation(Function<String, AlertPolicy> policies) {
      return ShareStepOperation.restored(step, alertCode, groupId, creator, known(policies, policy), onBackup);
    }
  }

  private static AlertPolicy known(Function<String, AlertPolicy> policies, String key) {
    AlertPolicy p = policies.apply(key);
    // Journaled before any operation that names it: a journal without it is not this release's.
    if (p == null) throw new IllegalStateException("journal: an operation names the policy " + key + ", which it does not hold");
    return p;
  }

  /** The raw form's own version: its first byte. */
  private static final byte PACKED_FORM = 1;
  private static final int PACKED_HEADER_BYTES = 1 + Integer.BYTES + Long.BYTES + 1;
  private static final byte FOLDED = 1;
  private static final byte NO_BYTES = 2;

  /**
   * A hub that is its packed bytes alone (most hubs between two alerts, each hub of a regional burst) in the
   * journal's raw form, family {@code HUB_PACKED}: the form's version, the tracking's layout, the hub's version, a
   * flag byte (folded share, no bytes yet), then the packed bytes. Plain bytes, not a Compact type: no schema, so
   * none to journal from a partition thread in the middle of traffic when the first such hub is written (as the
   * first record of a new Compact type does); and the cluster's form writes nine fields and unfolds the share.
   */
  static byte[] packed(HubState.Packed alone) {
    byte[] bytes = alone.bytes();
    ByteBuffer out = ByteBuffer.allocate(PACKED_HEADER_BYTES + (bytes == null ? 0 : bytes.length));
    out.put(PACKED_FORM).putInt(HubStateSerializers.LAYOUT).putLong(alone.version())
        .put((byte) ((alone.folded() ? FOLDED : 0) | (bytes == null ? NO_BYTES : 0)));
    if (bytes != null) out.put(bytes);
    return out.array();
  }

  /** The hub {@link #packed} wrote. */
  static HubState.Packed packed(byte[] record) {
    ByteBuffer in = ByteBuffer.wrap(record);
    byte form = in.get();
    if (form != PACKED_FORM) {
      throw new IllegalStateException("journal: a packed hub in form " + form + ", this release reads " + PACKED_FORM);
    }
    int layout = in.getInt();
    if (layout != HubStateSerializers.LAYOUT) {
      throw new IllegalStateException("journal: a hub packed in layout " + layout + ", this release reads " + HubStateSerializers.LAYOUT);
    }
    long version = in.getLong();
    byte flags = in.get();
    byte[] bytes = null;
    if ((flags & NO_BYTES) == 0) {
      bytes = new byte[in.remaining()];
      in.get(bytes);
    }
    return new HubState.Packed(bytes, (flags & FOLDED) != 0, version);
  }

  /** Their serializers, for the journal's serialization service. */
  static List<CompactSerializer<?>> serializers() {
    return List.of(new OfDecision(), new OfSettle(), new OfShareStep());
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

  private static final class OfShareStep extends OperationSerializers.Named<ShareStep> {
    OfShareStep() {
      super("csp.journal.ShareStep", ShareStep.class);
    }

    @Override
    public ShareStep read(CompactReader in) {
      return new ShareStep(ShareStepOperation.Step.valueOf(in.readString("step")), in.readString("alertCode"),
          in.readString("groupId"), in.readString("creator"), in.readString("policy"), in.readBoolean("onBackup"));
    }

    @Override
    public void write(CompactWriter out, ShareStep s) {
      out.writeString("step", s.step().name());
      out.writeString("alertCode", s.alertCode());
      out.writeString("groupId", s.groupId());
      out.writeString("creator", s.creator());
      out.writeString("policy", s.policy());
      out.writeBoolean("onBackup", s.onBackup());
    }
  }
}
