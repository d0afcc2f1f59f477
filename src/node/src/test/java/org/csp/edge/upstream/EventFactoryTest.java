package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.ForwardedAlert;
import org.junit.jupiter.api.Test;

/** The northbound {@code alert} event as wire-format.md lists it, from the streaming writer. */
class EventFactoryTest {
  private static final long NOW = 1_795_428_930_007L; // 2026-11-23T...:30.007Z
  private final EventFactory events = new EventFactory("north", "node-a", "dsp/north/", () -> NOW);

  @Test
  void anAlertEventCarriesTheHeaderTheAlertAsReceivedAndItsConsolidatedCount() {
    Alert alert = new Alert("00-1B-C5-0C-00-00-00-01", "00-1B-C5-0C-00-00-00-02", "GPF", "8F3E", 42,
        "2026-11-23T10:15:30.5+01:00", 1_795_428_930_500L, new Dmc("Acme", "GPF-2", "1.0.3"), "AAEC");
    UpstreamEvent event = events.alert(new ForwardedAlert(alert, 7, NOW - 7, 0xabcL, 2));

    JsonObject expected = new JsonObject()
        .put("eventId", "alert:00-1B-C5-0C-00-00-00-02:8F3E:42@abc.2").put("type", "alert").put("region", "north")
        .put("nodeId", "node-a").put("emittedAt", Instant.ofEpochMilli(NOW).toString()).put("count", 1).put("schema", 2)
        .put("hubId", "00-1B-C5-0C-00-00-00-01").put("deviceId", "00-1B-C5-0C-00-00-00-02").put("deviceType", "GPF")
        .put("alertCode", "8F3E").put("originatorCounter", 42).put("raisedAt", "2026-11-23T10:15:30.5+01:00")
        .put("dmc", new JsonObject().put("manufacturer", "Acme").put("model", "GPF-2").put("firmware", "1.0.3"))
        .put("payload", "AAEC").put("consolidatedSinceLast", 7).put("receivedAt", Instant.ofEpochMilli(NOW - 7).toString());
    JsonObject written = new JsonObject(event.payload());
    assertEquals(expected, written);
    assertEquals(List.copyOf(expected.fieldNames()), List.copyOf(written.fieldNames()), "the wire format's order");
    assertEquals("dsp/north/alert/8F3E", event.topic());
    assertEquals("alert:00-1B-C5-0C-00-00-00-02:8F3E:42@abc.2", event.eventId());
    assertEquals(1, event.count());
    assertEquals("alert", event.type());
  }

  @Test
  void optionalFieldsAbsentFromTheAlertAreAbsentFromTheEvent() {
    Alert alert = new Alert("00-1B-C5-0C-00-00-00-01", "00-1B-C5-0C-00-00-00-02", null, "8014", 1,
        "2026-11-23T10:15:30Z", 1_795_428_930_000L, null, null);
    JsonObject written = new JsonObject(events.alert(new ForwardedAlert(alert, 0, NOW, 0xabcL, 2)).payload());
    assertEquals(List.of("eventId", "type", "region", "nodeId", "emittedAt", "count", "schema", "hubId", "deviceId", "alertCode",
        "originatorCounter", "raisedAt", "consolidatedSinceLast", "receivedAt"), List.copyOf(written.fieldNames()));
  }

  @Test
  void aHeartbeatCarriesTheBootAndTheTotalsOnTheNodesTopicAndCountsNoAlert() {
    org.csp.edge.accounting.NodeStats stats = new org.csp.edge.accounting.NodeStats();
    stats.received.add(10);
    stats.duplicates.add(2);
    stats.rejected(org.csp.edge.alert.RejectReason.values()[0]);
    stats.queued("alert");
    UpstreamEvent event = events.heartbeat("boot-1", 3, stats.totals(), true);
    JsonObject written = new JsonObject(event.payload());
    assertEquals("dsp/north/node/node-a/heartbeat", event.topic());
    assertEquals(0, event.count());
    assertEquals("heartbeat", written.getString("type"));
    assertEquals(2, written.getInteger("schema"));
    assertEquals("boot-1", written.getString("bootId"));
    assertEquals(3, written.getInteger("sequence"));
    assertEquals(true, written.getBoolean("final"));
    assertEquals(10, written.getLong("received"));
    assertEquals(2, written.getLong("duplicates"));
    assertEquals(1, written.getLong("rejected"));
    assertEquals(1, written.getJsonObject("rejectedByReason").getLong(org.csp.edge.alert.RejectReason.values()[0].wireName()));
    assertEquals(1, written.getJsonObject("events").getLong("alert"));
    assertEquals(0, written.getJsonObject("events").getLong("summary"));
    assertEquals("heartbeat:node-a:boot-1:3", event.eventId(), "a resend of one heartbeat keeps its id");
  }

  @Test
  void theCounterIsWrittenUnsignedOverItsWholeSixtyFourBits() {
    long max = Long.parseUnsignedLong("18446744073709551615");
    Alert alert = new Alert("00-1B-C5-0C-00-00-00-01", "00-1B-C5-0C-00-00-00-02", null, "8014", max,
        "2026-11-23T10:15:30Z", 1_795_428_930_000L, null, null);
    UpstreamEvent event = events.alert(new ForwardedAlert(alert, 0, NOW, 0xabcL, 2));
    assertEquals(new BigInteger("18446744073709551615"), new JsonObject(event.payload()).getValue("originatorCounter"));
    assertEquals("alert:00-1B-C5-0C-00-00-00-02:8014:18446744073709551615@abc.2", event.eventId());
  }

  @Test
  void instantsAreWrittenAsInstantToStringWritesThem() {
    IsoMillis iso = new IsoMillis();
    SplittableRandom random = new SplittableRandom(4);
    long[] edges = {0, 1, 9, 10, 99, 100, 999, 1000, -1, -1000, -1001, NOW, NOW - NOW % 1000, 253_402_300_799_999L};
    for (long millis : edges) assertEquals(Instant.ofEpochMilli(millis).toString(), iso.format(millis), "at " + millis);
    long t = NOW;
    for (int i = 0; i < 100_000; i++) { // mostly within one second, as events are, then across seconds
      t += random.nextInt(random.nextInt(10) == 0 ? 5000 : 3);
      assertEquals(Instant.ofEpochMilli(t).toString(), iso.format(t), "at " + t);
    }
  }
}
