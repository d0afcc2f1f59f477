package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.upstream.Outbox;
import org.csp.edge.upstream.UpstreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events only their member held (upstream.MemberLocalEvents: its heartbeats, its regional storms' notices), handed to
 * the cluster by a member that leaves before the broker took them. Before, a member stopped during a broker outage
 * took its final heartbeat with it, and the feed's equation stayed short of its duplicates and rejections for good.
 * Kept in the map {@value #MAP_NAME} (the default backup) until the member that owns an entry's partition has
 * published it; published twice at worst (a member that took it over before the delivery was known), with its id.
 * All methods block: call them from a worker.
 */
public final class HandedOverEvents {
  public static final String MAP_NAME = "csp-handed-events";
  private static final Logger log = LoggerFactory.getLogger(HandedOverEvents.class);

  private final HazelcastInstance member;
  /** Offered to this member's outbox and not yet delivered: not offered twice. */
  private final Set<String> offered = ConcurrentHashMap.newKeySet();

  public HandedOverEvents(HazelcastInstance member) {
    this.member = member;
  }

  /** Hands {@code events} (spill form) to the members that stay. */
  public void handOver(Collection<UpstreamEvent> events) {
    if (events.isEmpty()) return;
    Map<String, String> lines = new HashMap<>();
    for (UpstreamEvent e : events) lines.put(e.eventId(), e.toSpillJson().encode());
    map().putAll(lines);
    log.info("{} events only this member held, not yet taken by the broker, handed to the members that stay", lines.size());
  }

  /** Offers to {@code outbox} the handed events whose partition this member owns; each leaves the map once delivered. */
  public int takeOwned(Outbox outbox) {
    IMap<String, String> map = map();
    int taken = 0;
    for (String id : map.localKeySet()) {
      if (!offered.add(id)) continue;
      String line = map.get(id);
      UpstreamEvent event = null;
      try {
        if (line != null) event = UpstreamEvent.fromSpillJson(new JsonObject(line));
      } catch (RuntimeException notAnEvent) {
        log.warn("handed event {} does not read ({}); dropped", id, notAnEvent.toString());
        map.delete(id);
      }
      if (event == null) {
        offered.remove(id);
        continue;
      }
      outbox.offer(event.afterDelivery(() -> map.removeAsync(id).whenComplete((v, e) -> offered.remove(id))));
      taken++;
    }
    return taken;
  }

  private IMap<String, String> map() {
    return member.getMap(MAP_NAME);
  }
}
