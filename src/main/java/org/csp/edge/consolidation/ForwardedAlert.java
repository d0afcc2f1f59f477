package org.csp.edge.consolidation;

import org.csp.edge.alert.Alert;

/** An alert that passes upstream singly, with how many of its hub and code were consolidated since the last one. */
public record ForwardedAlert(Alert alert, long consolidatedSinceLast, long receivedAt) implements HubEvent {

  @Override
  public String hubId() {
    return alert.hubId();
  }

  /** Device, code and originator counter: a resent alert is the same event. */
  @Override
  public String eventId() {
    return "alert:" + alert.deviceId() + ":" + alert.alertCode() + ":" + Long.toUnsignedString(alert.originatorCounter());
  }
}
