package org.csp.edge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check {@code verify}, the demo and the tests make from the feed alone, on a fabricated feed: two nodes, one of
 * them restarted, events repeated after a reconnect, heartbeats arriving out of order.
 */
class FeedAccountingTest {
  /** 100 alerts sent: node-a boot 1 accounts 30 + 2 duplicates + 1 rejected, boot 2 20 + 3 + 4, node-b 40. */
  private static final long SENT = 100;

  private static List<JsonObject> feed() {
    List<JsonObject> feed = new ArrayList<>();
    feed.add(status("node-a", "a1", "online"));
    feed.add(event("alert:1", "node-a", "alert", 1));
    feed.add(event("sum:1", "node-a", "summary", 29));
    feed.add(heartbeat("node-a", "a1", 2, 33, 2, 1, true));
    feed.add(heartbeat("node-a", "a1", 1, 10, 0, 0, false)); // an earlier one, redelivered late
    feed.add(status("node-a", "a1", "offline"));
    feed.add(status("node-a", "a2", "online"));
    feed.add(event("grp:1", "node-a", "group", 20));
    feed.add(event("grp:1", "node-a", "group", 20)); // the same eventId again: counted once
    feed.add(event("storm:1", "node-a", "storm-start", 0));
    feed.add(heartbeat("node-a", "a2", 1, 27, 3, 4, false));
    feed.add(event("sum:2", "node-b", "summary", 40));
    feed.add(heartbeat("node-b", "b1", 1, 40, 0, 0, false));
    feed.add(heartbeat("node-b", "b1", 1, 40, 0, 0, false));
    return feed;
  }

  @Test
  void theEquationHoldsForACompleteFeedWithEachBootsLastHeartbeat() {
    FeedAccounting accounting = new FeedAccounting();
    feed().forEach(accounting::add);
    FeedAccounting.Check check = accounting.check(SENT);
    assertEquals(90, check.counted(), "events once per eventId");
    assertEquals(5, check.duplicates(), "the last heartbeat of each boot, by sequence");
    assertEquals(5, check.rejected());
    assertTrue(check.holds(), check.toText());
    assertTrue(check.toText().contains("HOLDS"), check.toText());
    assertEquals(3, check.rows().size(), "one row per node and boot: " + check.rows());
    FeedAccounting.Row first = check.rows().get(0);
    assertEquals("final", first.lastHeartbeat());
    assertEquals("offline", first.status());
    assertEquals(4, first.events());
    assertEquals(50, first.counted());
  }

  @Test
  void aFeedMissingAnEventDoesNotHold() {
    FeedAccounting accounting = new FeedAccounting();
    feed().stream().filter(e -> !"sum:1".equals(e.getString("eventId"))).forEach(accounting::add);
    FeedAccounting.Check check = accounting.check(SENT);
    assertFalse(check.holds(), check.toText());
    assertEquals(71, check.total());
    assertTrue(check.toText().contains("DOES NOT HOLD"), check.toText());
  }

  @Test
  void aBootWhoseHeartbeatsAreMissingDoesNotHold() {
    FeedAccounting accounting = new FeedAccounting();
    feed().stream().filter(e -> !"a2".equals(e.getString("bootId"))).forEach(accounting::add);
    assertFalse(accounting.check(SENT).holds(), "without boot a2's heartbeat its duplicates and rejected are missing");
  }

  private static JsonObject event(String id, String node, String type, int count) {
    return new JsonObject().put("eventId", id).put("type", type).put("region", "north").put("nodeId", node)
        .put("count", count).put("schema", 2);
  }

  private static JsonObject heartbeat(String node, String boot, long sequence, long received, long duplicates,
      long rejected, boolean last) {
    return event("heartbeat:" + node + ":" + boot + ":" + sequence, node, "heartbeat", 0).put("bootId", boot)
        .put("sequence", sequence).put("final", last).put("received", received).put("duplicates", duplicates)
        .put("rejected", rejected).put("rejectedByReason", new JsonObject()).put("events", new JsonObject());
  }

  private static JsonObject status(String node, String boot, String status) {
    return new JsonObject().put("nodeId", node).put("region", "north").put("status", status).put("bootId", boot)
        .put("at", "2026-12-05T10:00:00Z");
  }
}
