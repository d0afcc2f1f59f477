package org.csp.edge.upstream;

import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.RegionalEvent;

/**
 * The step at which a decision becomes an upstream message: what the decisions raised, on the member that owns
 * the hub (or that detected the burst, or sealed the group), is encoded, queued for the broker and counted. One
 * implementation, {@link OutboxSink}; the cluster side hands events here and knows nothing of the outbox.
 */
public interface EventSink {
  /** A hub's event, raised on the hub's owner; the broker's receipt goes back to the hub (it waits there until then). */
  void hubEvent(HubEvent event);

  /** A regional burst started or ended on this member: a notice without counts, kept in no hub's state. */
  void regionalNotice(RegionalEvent notice);

  /**
   * A regional group event, as recorded before it is published (so that whoever publishes it again sends the same
   * bytes); {@code afterDelivery} runs once the broker acknowledged it.
   */
  void group(UpstreamEvent recorded, Runnable afterDelivery);
}
