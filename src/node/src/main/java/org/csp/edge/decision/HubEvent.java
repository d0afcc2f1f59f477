package org.csp.edge.decision;

/**
 * An event about one hub that must reach the DSP. It is kept in the hub's state, with the decision that raised it
 * and in the same atomic operation, until the broker acknowledges it: so it is backed up with the state, survives
 * the death of the member that raised it and moves with the hub's partition. Its id is derived from what it is,
 * so whichever member publishes it, and however often, the DSP counts it once.
 */
public sealed interface HubEvent permits StormEvent, ForwardedAlert {
  String hubId();

  String eventId();
}
