package org.csp.edge.decision;

import org.csp.edge.alert.Alert;

/**
 * An alert that passes upstream singly, with how many of its hub and code were consolidated since the last one.
 * Its {@code eventId} (device, code and originator counter: a resent alert is the same event) is made once, when
 * it is raised: the encoder, the publisher and the receipt each ask for it.
 */
public record ForwardedAlert(Alert alert, long consolidatedSinceLast, long receivedAt, String eventId)
    implements HubEvent {

  public ForwardedAlert(Alert alert, long consolidatedSinceLast, long receivedAt) {
    this(alert, consolidatedSinceLast, receivedAt, "alert:" + alert.deviceId() + ":" + alert.alertCode() + ":"
        + Long.toUnsignedString(alert.originatorCounter()));
  }

  @Override
  public String hubId() {
    return alert.hubId();
  }
}
