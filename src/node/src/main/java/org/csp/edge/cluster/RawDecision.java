package org.csp.edge.cluster;

import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Alert;
import org.csp.edge.decision.Silence;

/**
 * A storming hub's decision as the journal writes it (family {@code HUB_DECISION}, a change after the hub's image):
 * {@link JournalForms.Decision} in a raw form of the journal's own instead of its Compact form, which took a quarter
 * of the journal's time on a one-hub storm's partition thread (src/bench/results/2026-12-06-journal-5.md).
 *
 * <p>Layout: form byte, operation id, now, policy key, the alerts, the silences, the owner's answers ({@link RawFields}).
 */
final class RawDecision {
  private RawDecision() {}

  /** The form's own version: its first byte. */
  static final byte FORM = 1;

  static byte[] of(JournalForms.Decision d) {
    RawFields.Out out = RawFields.Out.ofThread();
    out.put(FORM).putLong(d.operationId()).putLong(d.now()).putString(d.policy());
    out.putInt(d.alerts().size());
    for (Alert a : d.alerts()) out.putAlert(a);
    out.putInt(d.silences().size());
    for (Silence s : d.silences()) {
      out.putString(s.id()).putString(s.alertCode()).putString(s.hubId()).putString(s.deviceId())
          .putString(s.manufacturer()).putString(s.model()).putString(s.firmware())
          .putLong(s.startsAt()).putLong(s.endsAt());
    }
    return out.putLongs(d.ownersAnswers()).bytes();
  }

  /** The decision {@link #of} wrote. */
  static JournalForms.Decision read(byte[] record) {
    RawFields.In in = new RawFields.In(record);
    byte form = in.get();
    if (form != FORM) throw new IllegalStateException("journal: a raw decision in form " + form + ", this release reads " + FORM);
    long operationId = in.getLong();
    long now = in.getLong();
    String policy = in.getString();
    int alertCount = in.getCount();
    List<Alert> alerts = new ArrayList<>(alertCount);
    for (int i = 0; i < alertCount; i++) alerts.add(in.getAlert());
    int silenceCount = in.getCount();
    List<Silence> silences = new ArrayList<>(silenceCount);
    for (int i = 0; i < silenceCount; i++) {
      silences.add(new Silence(in.getString(), in.getString(), in.getString(), in.getString(), in.getString(),
          in.getString(), in.getString(), in.getLong(), in.getLong()));
    }
    long[] answers = in.getLongs();
    in.end();
    return new JournalForms.Decision(operationId, List.copyOf(alerts), now, policy, List.copyOf(silences), answers);
  }
}
