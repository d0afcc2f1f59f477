package org.csp.edge.decision;

import org.csp.edge.alert.Alert;

/**
 * An alert that passes upstream singly, with how many of its hub and code were consolidated since the last one.
 * Its {@code eventId} is made once, when it is raised (the encoder, the publisher and the receipt each ask for it),
 * and names its taking: the device, code and originator counter, then the operation that decided it and the alert's
 * place in it. The contract's eventId is unique, and the DSP counts each once: an alert taken twice (the same header
 * from two hubs, from a device past the hub's bound, or resent after its counter left the duplicate memory) is two
 * events, as the node counts it; a redelivery of one event keeps its id.
 */
public record ForwardedAlert(Alert alert, long consolidatedSinceLast, long receivedAt, String eventId)
    implements HubEvent {

  /**
   * @param operationId the deciding operation's id (owner, backup and journal replay share it)
   * @param index the alert's place in that operation's batch
   */
  public ForwardedAlert(Alert alert, long consolidatedSinceLast, long receivedAt, long operationId, int index) {
    this(alert, consolidatedSinceLast, receivedAt, "alert:" + alert.deviceId() + ":" + alert.alertCode() + ":"
        + Long.toUnsignedString(alert.originatorCounter()) + "@" + Long.toHexString(operationId) + "." + index);
  }

  @Override
  public String hubId() {
    return alert.hubId();
  }
}
