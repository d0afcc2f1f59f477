package org.csp.edge.cluster;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.csp.edge.upstream.UpstreamEvent;

/**
 * A regional group event as published, recorded in the replicated map of seals before it is published: the
 * group's content spans hubs on several partitions, so this one record is what keeps it identical whoever
 * publishes it again after its member died. Removed once the broker acknowledged it and its hubs released
 * their shares.
 */
record SealedGroup(String groupId, String creator, String alertCode, List<String> hubIds, String topic, int count,
    byte[] payload) {

  /** Its map (backed up like the hub map) is in cluster-config/. */
  static final String MAP_NAME = "csp-group-seals";

  static SealedGroup of(UpstreamEvent event, String creator, String alertCode, List<String> hubIds) {
    return new SealedGroup(event.eventId(), creator, alertCode, hubIds, event.topic(), event.count(),
        event.payload().getBytes());
  }

  UpstreamEvent event() {
    return new UpstreamEvent(groupId, "group", alertCode, topic, count, Buffer.buffer(payload));
  }
}
