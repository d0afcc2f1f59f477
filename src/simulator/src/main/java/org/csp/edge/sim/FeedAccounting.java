package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The accounting equation checked from the DSP's feed alone (wire format, "Accounting", rev 2): events are counted
 * once per eventId, and for each node and bootId the last heartbeat (highest {@code sequence}) gives the duplicates
 * and rejected of that boot, so {@code sum(count) + duplicates + rejected = alerts sent} needs nothing but the feed
 * and what the generator sent. Status messages (no eventId) tell whether a boot ended cleanly or by its last will.
 * Used by {@code verify}, by the demo and by the tests. Thread-safe: messages arrive on an event loop, checks come
 * from elsewhere.
 */
public final class FeedAccounting {
  private final Set<String> eventIds = new HashSet<>();
  private final Map<String, NodeFeed> nodes = new TreeMap<>();

  /** What one node's events and heartbeats say. */
  private static final class NodeFeed {
    long events;
    long counted;
    final Map<String, Boot> boots = new TreeMap<>();

    Boot boot(String bootId) {
      return boots.computeIfAbsent(bootId, b -> new Boot());
    }
  }

  /** One start of a node: its last heartbeat and its last status. */
  private static final class Boot {
    long heartbeats;
    JsonObject last;
    String status = "";
  }

  /**
   * One row of the table: a node and one of its boots. {@code events} and {@code counted} are the node's (events
   * carry no bootId), shown on its first row. {@code lastHeartbeat} is "final" for the one sent at a clean stop,
   * else its sequence number, or "none".
   */
  public record Row(String nodeId, String bootId, long events, long counted, long heartbeats, String lastHeartbeat,
                    String status, long received, long duplicates, long rejected) {
  }

  /** The equation over the whole feed, and the rows behind it. */
  public record Check(List<Row> rows, long counted, long duplicates, long rejected, long sent) {
    public long total() {
      return counted + duplicates + rejected;
    }

    public boolean holds() {
      return total() == sent;
    }

    /** {@code counted + duplicates + rejected = total   (sent N)   HOLDS}. */
    public String equation() {
      return String.format(Locale.ROOT, "%d + %d + %d = %d   (sent %d)   %s", counted, duplicates, rejected, total(),
          sent, holds() ? "HOLDS" : "DOES NOT HOLD");
    }

    /** A table per node and boot, then the equation. */
    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "  %-20s %-36s %8s %10s %6s %8s %-8s %10s %10s %10s%n", "node", "boot", "events",
          "sum(count)", "beats", "last", "status", "received", "duplicates", "rejected"));
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "  %-20s %-36s %8s %10s %6d %8s %-8s %10d %10d %10d%n", r.nodeId(), r.bootId(),
            r.events() < 0 ? "" : Long.toString(r.events()), r.counted() < 0 ? "" : Long.toString(r.counted()),
            r.heartbeats(), r.lastHeartbeat(), r.status(), r.received(), r.duplicates(), r.rejected()));
      }
      sb.append("  sum(count of events) + duplicates + rejected = alerts sent\n  ").append(equation()).append('\n');
      return sb.toString();
    }
  }

  /** Any message from the feed: an event, a heartbeat or a status message; repeats of an eventId are ignored. */
  public synchronized void add(JsonObject message) {
    String nodeId = message.getString("nodeId", "?");
    String eventId = message.getString("eventId");
    if (eventId == null) {
      String bootId = message.getString("bootId");
      if (bootId != null && message.getString("status") != null) {
        nodes.computeIfAbsent(nodeId, n -> new NodeFeed()).boot(bootId).status = message.getString("status");
      }
      return;
    }
    if (!eventIds.add(eventId)) return;
    NodeFeed node = nodes.computeIfAbsent(nodeId, n -> new NodeFeed());
    if ("heartbeat".equals(message.getString("type"))) {
      Boot boot = node.boot(message.getString("bootId", "?"));
      boot.heartbeats++;
      if (boot.last == null || message.getLong("sequence", 0L) > boot.last.getLong("sequence", 0L)) boot.last = message;
      return;
    }
    node.events++;
    node.counted += message.getLong("count", 0L);
  }

  /** The equation against {@code sent}, the alerts the generator (or generators) sent. */
  public synchronized Check check(long sent) {
    List<Row> rows = new ArrayList<>();
    long counted = 0;
    long duplicates = 0;
    long rejected = 0;
    for (Map.Entry<String, NodeFeed> n : nodes.entrySet()) {
      NodeFeed node = n.getValue();
      counted += node.counted;
      boolean first = true;
      if (node.boots.isEmpty()) {
        rows.add(new Row(n.getKey(), "(no heartbeat)", node.events, node.counted, 0, "none", "", 0, 0, 0));
      }
      for (Map.Entry<String, Boot> b : node.boots.entrySet()) {
        JsonObject last = b.getValue().last;
        long dup = last == null ? 0 : last.getLong("duplicates", 0L);
        long rej = last == null ? 0 : last.getLong("rejected", 0L);
        duplicates += dup;
        rejected += rej;
        String lastBeat = last == null ? "none"
            : last.getBoolean("final", false) ? "final" : "#" + last.getLong("sequence", 0L);
        rows.add(new Row(n.getKey(), b.getKey(), first ? node.events : -1, first ? node.counted : -1,
            b.getValue().heartbeats, lastBeat, b.getValue().status, last == null ? 0 : last.getLong("received", 0L), dup, rej));
        first = false;
      }
    }
    return new Check(rows, counted, duplicates, rejected, sent);
  }
}
