package org.csp.edge.decision;

import org.csp.edge.alert.Alert;

/**
 * The stages of an alert, in order; the one place that says so, as Alertmanager's notify pipeline composes its
 * stages in one place (notify/notify.go).
 *
 * <ol>
 *   <li>Intake: MQTT or HTTP from a head-end, per connection ({@code ingest.MqttIntake}, {@code ingest.HttpIntake}).
 *   <li>Parse: the message into alerts or a rejection ({@code alert.AlertParser}); rejected alerts are counted.
 *   <li>Decide, on the hub's owner: one operation per hub of the message ({@code cluster.AlertPipeline},
 *       {@code cluster.HubStateStore}, {@code cluster.DecideAlertsOperation}), each alert through {@link #ON_OWNER}:
 *       <ol>
 *         <li>{@link #DUPLICATE_HEADERS}: a resent header is a duplicate;
 *         <li>{@link #MUTING}: an operator's silence or an inhibition rule holds it into a summary, unless its
 *             code is in forward mode;
 *         <li>{@link #CODE_POLICY}: a code the policy always forwards is forwarded;
 *         <li>{@link #HUB_STORM}: a hub in storm on the code consolidates it into a summary;
 *         <li>{@link #REGIONAL_BURST}: a code bursting in the region groups it; otherwise it is forwarded.
 *       </ol>
 *   <li>Record: the verdicts and the events they raised are kept in the hub's state ({@link HubState}), backed up in
 *       the same operation, before anything is acknowledged or published.
 *   <li>Regional grouping: the owner's sweep seals the hubs' group shares into group events
 *       ({@code cluster.RegionalGroups}).
 *   <li>Publish: the owner turns each raised event into an upstream message ({@code upstream.EventSink}), and hands
 *       the broker's receipt back to the hub.
 *   <li>Acknowledge: the intake acknowledges the message once every alert of it is decided and backed up
 *       ({@code ingest.IntakeAccounting}).
 * </ol>
 */
final class AlertStages {
  private AlertStages() {}

  /**
   * Same device and originator counter within the retention: a duplicate header, nothing raised. A device past the
   * hub's {@code maxDevicesPerHub} has no headers kept: its alerts go on undecided here, never dropped.
   */
  static final AlertStage DUPLICATE_HEADERS = (alert, hub) -> {
    DeviceHeaders headers = hub.tracking.headersOf(alert.deviceId(), hub.policy);
    if (headers == null) {
      hub.deviceTracked = false;
      hub.untrackedDevices++;
      return null;
    }
    return headers.seenBefore(alert.originatorCounter(), hub.now, hub.duplicateRetention) ? Verdict.DUPLICATE : null;
  };

  /**
   * Silences, then inhibitions. Every alert that reaches it is noted as a possible inhibition source first (a
   * source in forward mode still starts its rule). A code in forward mode is then passed on untouched: it is never
   * silenced or inhibited (issue 19, "exempt codes are an invariant"). A matching silence, the first in the
   * operation's order, holds the alert into its summary (one per {@code summaryPeriod}, the last at the silence's
   * end); otherwise an inhibition in force on the alert's hub (or device) does, into one summary raised when the
   * inhibition ends. A hub with its bound of held periods passes the alert on.
   */
  static final AlertStage MUTING = (alert, hub) -> {
    java.util.List<Inhibition> rules = hub.policy.inhibitions();
    if (!rules.isEmpty()) {
      for (Inhibition rule : rules) {
        if (!rule.sourceCodes().contains(alert.alertCode())) continue;
        hub.muting().noteSource(alert, hub.now, rules, hub.deviceTracked);
        break;
      }
    }
    if (hub.codePolicy.mode() == CodeMode.FORWARD) return null;
    int maxPeriods = hub.policy.maxCodesPerHub();
    for (Silence silence : hub.silences) {
      if (!silence.matches(alert, hub.now)) continue;
      // A silence may last days: its summary goes every summaryPeriod, and at its end.
      long periodEnd = Math.min(silence.endsAt(), hub.now + hub.codePolicy.summaryPeriod().toMillis());
      if (!hub.muting().hold(alert, hub.deviceTracked, HoldReason.SILENCED, silence.id(), null, hub.now, periodEnd,
          maxPeriods)) {
        return null;
      }
      hub.countSilenced(silence.id());
      return Verdict.SILENCED;
    }
    if (hub.muting == null || rules.isEmpty()) return null;
    InhibitionSource source = hub.muting.inhibiting(alert, hub.now, rules);
    if (source == null) return null;
    // An inhibition is short and about one event (a reboot): one summary when it ends, whatever summaryPeriod says.
    return hub.muting.hold(alert, hub.deviceTracked, HoldReason.INHIBITED, source.rule(), source.sourceAlertCode(),
        hub.now, source.until(), maxPeriods) ? Verdict.INHIBITED : null;
  };

  /** A code in forward mode is never consolidated or grouped. */
  static final AlertStage CODE_POLICY = (alert, hub) -> {
    if (hub.codePolicy.mode() != CodeMode.FORWARD) return null;
    hub.raised.add(hub.forwarded(alert, 0));
    return Verdict.FORWARD;
  };

  /**
   * The hub's own storm on the code: consolidated while it storms; grouped when it reaches its threshold in a burst.
   * A code past the hub's {@code maxCodesPerHub} has no storm state: it goes on to the regional stage.
   */
  static final AlertStage HUB_STORM = (alert, hub) -> {
    String code = alert.alertCode();
    CodeStorm storm = hub.tracking.stormOf(code, hub.policy);
    hub.storm = storm;
    if (storm == null) {
      hub.untrackedCodes++;
      return null;
    }
    Verdict v = storm.apply(alert, hub.now, hub.hubId, hub.codePolicy, hub.codeRule, hub.policy.maxDevicesPerSummary(),
        hub.deviceTracked, () -> hub.bursting(code), hub.stormEvents);
    hub.raised.addAll(hub.stormEvents);
    hub.stormEvents.clear();
    return v == Verdict.FORWARD ? null : v;
  };

  /** The last stage: into the region's group while the code bursts, else forwarded with the count since the last. */
  static final AlertStage REGIONAL_BURST = (alert, hub) -> {
    if (hub.group(alert.alertCode())) return Verdict.GROUPED;
    hub.raised.add(hub.forwarded(alert, hub.storm == null ? 0 : hub.storm.takeSinceLastForwarded()));
    return Verdict.FORWARD;
  };

  /** Deciding an alert on its hub's owner (and, alike, on its backup); the last stage always decides. */
  static final AlertStage[] ON_OWNER = {DUPLICATE_HEADERS, MUTING, CODE_POLICY, HUB_STORM, REGIONAL_BURST};

  static Verdict decide(Alert alert, HubDecision hub) {
    for (AlertStage stage : ON_OWNER) {
      Verdict v = stage.decide(alert, hub);
      if (v != null) return v;
    }
    throw new IllegalStateException("no stage decided alert " + alert);
  }
}
