package org.csp.edge.decision;

import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Alert;

/**
 * One operation's decisions on one hub, as its {@link AlertStages} see them: the hub's tracking, the policy and
 * the time of the operation, the events raised so far, and the regional questions. On the hub's owner those are
 * asked of the member's {@link RegionalGate} and recorded ({@link RegionalAnswers}); on its backup they are looked
 * up in what the owner recorded, so both copies decide alike.
 */
final class HubDecision {
  final String hubId;
  final long now;
  final AlertPolicy policy;
  final long duplicateRetention;
  final HubTracking tracking;
  /** The silences in force that may match this hub, as the operation carries them (the same on owner and backup). */
  final List<Silence> silences;
  /** The hub's muting state; null until something is held or inhibited (then {@link HubState} keeps it). */
  HubMuting muting;
  /** Alerts held per silence id by this operation, for the silences' counts (null until one was). */
  java.util.Map<String, Integer> silenced;
  final List<HubEvent> raised = new ArrayList<>(1);
  /** Scratch for a storm's events while its stage runs. */
  final List<StormEvent> stormEvents = new ArrayList<>(0);
  /** The owner's detector; null on a backup. */
  private final RegionalGate gate;
  /** On the owner, what it was asked (null until something was); on a backup, what the owner was asked. */
  private RegionalAnswers answers;

  /**
   * The alert being decided: its place in the batch; its rule (its device model's when {@code policy.dmcs} has one,
   * else its code's: mode, and when a hub storms); its code's rule, which times the hub's storm and the region's
   * burst, both of which span devices of any model; and its hub's storm on the code once known.
   */
  int index;
  /** The operation deciding (the same on owner, backup and a journal's replay): with {@link #index}, an alert's taking. */
  long operationId;
  CodePolicy codePolicy;
  CodePolicy codeRule;
  CodeStorm storm;
  /** Whether the hub tracks the alert's device (false past {@code maxDevicesPerHub}: no duplicate check, no own count). */
  boolean deviceTracked;
  /** Alerts of this operation from devices, and of codes, past the hub's bounds: counted by the member, for metrics. */
  int untrackedDevices;
  int untrackedCodes;

  private HubDecision(String hubId, long now, AlertPolicy policy, HubTracking tracking, List<Silence> silences,
      HubMuting muting, RegionalGate gate, RegionalAnswers answers) {
    this.hubId = hubId;
    this.silences = silences;
    this.muting = muting;
    this.now = now;
    this.policy = policy;
    this.duplicateRetention = policy.duplicateRetention().toMillis();
    this.tracking = tracking;
    this.gate = gate;
    this.answers = answers;
  }

  static HubDecision onOwner(String hubId, long now, AlertPolicy policy, HubTracking tracking, List<Silence> silences,
      HubMuting muting, RegionalGate gate) {
    return new HubDecision(hubId, now, policy, tracking, silences, muting, gate, null);
  }

  static HubDecision onBackup(String hubId, long now, AlertPolicy policy, HubTracking tracking, List<Silence> silences,
      HubMuting muting, RegionalAnswers owners) {
    return new HubDecision(hubId, now, policy, tracking, silences, muting, null, owners);
  }

  /** The hub's muting state, made when first needed. */
  HubMuting muting() {
    if (muting == null) muting = new HubMuting();
    return muting;
  }

  void countSilenced(String silenceId) {
    if (silenced == null) silenced = new java.util.TreeMap<>();
    silenced.merge(silenceId, 1, Integer::sum);
  }

  /** The alert being decided, forwarded as an event of its own: one per taking, so a resend taken again is another. */
  ForwardedAlert forwarded(Alert alert, long consolidatedSinceLast) {
    return new ForwardedAlert(alert, consolidatedSinceLast, now, operationId, index);
  }

  void next(int index, Alert alert) {
    this.index = index;
    this.codeRule = policy.forCode(alert.alertCode());
    this.codePolicy = policy.dmcs().isEmpty() ? codeRule : policy.forAlert(alert.alertCode(), alert.dmc());
    this.storm = null;
    this.deviceTracked = true;
  }

  /** Whether the alert goes into the region's group ({@link RegionalGate#group}). */
  boolean group(String alertCode) {
    if (gate == null) return answers.answer(index, RegionalAnswers.Question.GROUP, alertCode);
    return recorded(RegionalAnswers.Question.GROUP, alertCode, gate.group(alertCode, hubId, now, codeRule));
  }

  /** On the owner: whether its burst detector cannot tell a regional burst yet ({@link RegionalGate#learning}). */
  boolean burstsUnknown() {
    return gate != null && gate.learning(now, codeRule);
  }

  /** Whether the region bursts on the code ({@link RegionalGate#bursting}). */
  boolean bursting(String alertCode) {
    if (gate == null) return answers.answer(index, RegionalAnswers.Question.BURSTING, alertCode);
    return recorded(RegionalAnswers.Question.BURSTING, alertCode, gate.bursting(alertCode, now, codeRule));
  }

  /** What the owner was asked, for the backup; {@link RegionalAnswers#NONE} when nothing. */
  RegionalAnswers answers() {
    return answers == null ? RegionalAnswers.NONE : answers;
  }

  private boolean recorded(RegionalAnswers.Question question, String alertCode, boolean answer) {
    if (answers == null) answers = new RegionalAnswers();
    answers.record(index, question, alertCode, answer);
    return answer;
  }
}
