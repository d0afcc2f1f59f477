package org.csp.edge.upstream;

/** Where the broker's acknowledgement of a hub's event goes: back to the hub, which stops keeping the event. */
@FunctionalInterface
public interface HubReceipts {
  /** From the publisher, on any thread. */
  void delivered(String hubId, String eventId);
}
