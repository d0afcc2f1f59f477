package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.HoldReason;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.decision.StormEvent;
import org.junit.jupiter.api.Test;

/** Rev 2, "Size": no event larger than upstream.maxMessageBytes; a summary too large goes as parts that add up. */
class EventPartsTest {
  private static final long NOW = 1_795_428_930_007L;
  private static final int SMALL = 4096;
  private static final String HUB = "00-1B-C5-0C-00-00-00-01";

  private static StormEvent.Summary summary(int devices, int otherDevices, int otherCount) {
    Map<String, StormEvent.DeviceCount> listed = new TreeMap<>();
    int count = otherCount;
    for (int i = 0; i < devices; i++) {
      listed.put(String.format("00-1B-C5-0C-00-02-%02X-%02X", i >> 8, i & 0xFF),
          new StormEvent.DeviceCount(i + 1, "GPF", new Dmc("Acme", "GPF-2", "1.0.3")));
      count += i + 1;
    }
    return new StormEvent.Summary(HUB, "8F3E", NOW - 60_000, 3, NOW - 20_000, NOW, "2026-11-23T10:15:30Z",
        "2026-11-23T10:15:49Z", listed, otherDevices, otherCount, 0, HoldReason.STORM, count, false);
  }

  private static EventFactory factory(int maxMessageBytes) {
    return new EventFactory("north", "node-a", "dsp/north/", () -> NOW, maxMessageBytes);
  }

  @Test
  void aSummaryThatFitsIsOneEventWithItsFoldedDevices() {
    List<UpstreamEvent> events = factory(EventFactory.DEFAULT_MAX_MESSAGE_BYTES).hubEvents(summary(100, 400, 1234));
    assertEquals(1, events.size());
    JsonObject e = new JsonObject(events.get(0).payload());
    assertEquals(2, e.getInteger("schema"));
    assertEquals("storm", e.getString("reason"));
    assertEquals(100, e.getJsonArray("devices").size());
    assertEquals(400, e.getInteger("otherDevices"));
    assertEquals(1234, e.getInteger("otherCount"));
    assertEquals(5050 + 1234, e.getInteger("count"));
    assertFalse(e.containsKey("part"));
    assertEquals("summary:" + HUB + ":8F3E:" + (NOW - 60_000) + ":3", e.getString("eventId"));
  }

  @Test
  void aSummaryTooLargeGoesAsPartsEachWithinTheLimitWhoseCountsAddUpWithDeterministicIds() {
    StormEvent.Summary s = summary(100, 400, 1234);
    List<UpstreamEvent> parts = factory(SMALL).hubEvents(s);
    assertTrue(parts.size() > 1, "split: " + parts.size());
    int total = 0;
    int devices = 0;
    for (int k = 0; k < parts.size(); k++) {
      UpstreamEvent p = parts.get(k);
      assertTrue(EventFactory.packetBytes(p.topic(), p.payload().length()) <= SMALL, "part " + (k + 1) + " fits");
      JsonObject e = new JsonObject(p.payload());
      assertEquals(k + 1, e.getInteger("part"));
      assertEquals(parts.size(), e.getInteger("parts"));
      assertEquals(s.eventId() + ":part:" + (k + 1), e.getString("eventId"));
      assertEquals(p.count(), e.getInteger("count"));
      JsonArray listed = e.getJsonArray("devices");
      int listedCount = listed.stream().mapToInt(d -> ((JsonObject) d).getInteger("count")).sum();
      assertEquals(e.getInteger("count"), listedCount + e.getInteger("otherCount"), "each part adds up");
      assertEquals(s.periodStart(), java.time.Instant.parse(e.getString("periodStart")).toEpochMilli(), "same period");
      devices += listed.size();
      total += e.getInteger("count");
    }
    assertEquals(s.count(), total, "the parts' counts add up to the summary's");
    assertEquals(100, devices);
    assertEquals(400, new JsonObject(parts.get(parts.size() - 1).payload()).getInteger("otherDevices"));
    List<String> again = factory(SMALL).hubEvents(s).stream().map(UpstreamEvent::eventId).toList();
    assertEquals(parts.stream().map(UpstreamEvent::eventId).toList(), again, "a resend after a restart: the same ids");
  }

  @Test
  void aGroupIsSizedToFitTheLimit() {
    EventFactory events = factory(SMALL);
    int hubs = events.hubsPerGroup(500);
    assertTrue(hubs > 10 && hubs < 500, "hubs per group under 4 KiB: " + hubs);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < hubs; i++) counts.put(String.format("00-1B-C5-0C-00-03-%02X-%02X", i >> 8, i & 0xFF), Integer.MAX_VALUE);
    UpstreamEvent group = events.regional(new RegionalEvent.Group(events.nextGroupId(), "8F3E", NOW, NOW, NOW, counts, 1,
        Integer.MAX_VALUE - 1, Integer.MAX_VALUE));
    assertTrue(EventFactory.packetBytes(group.topic(), group.payload().length()) <= SMALL,
        group.payload().length() + " bytes for " + hubs + " hubs, a part of a period");
    assertEquals(Integer.MAX_VALUE, new JsonObject(group.payload()).getInteger("parts"));
    assertEquals(500, factory(EventFactory.DEFAULT_MAX_MESSAGE_BYTES).hubsPerGroup(500));
  }

  @Test
  void aDigestOfMoreCodesThanFitFoldsTheFewestIntoOtherCodesAndStillAddsUp() {
    JsonObject byCode = new JsonObject();
    JsonObject storms = new JsonObject();
    JsonArray silences = new JsonArray();
    long alerts = 0;
    for (int c = 0; c < 300; c++) {
      String code = String.format("8%03X", c);
      long n = 1 + c; // 82AB has the most
      byCode.put(code, new JsonObject().put("forwarded", n).put("silenced", 1L));
      storms.put(code, new JsonObject().put("started", 1).put("ended", 1));
      silences.add(new JsonObject().put("alertCode", code).put("held", 1L));
      alerts += n + 1;
    }
    JsonObject figures = new JsonObject().put("periodStart", "2026-12-07T00:00:00Z").put("periodEnd", "2026-12-08T00:00:00Z")
        .put("alerts", alerts).put("byCode", byCode).put("stormsByCode", storms).put("silences", silences)
        .put("inhibitions", new JsonArray()).put("topHubs", new JsonArray()).put("topDeviceModels", new JsonArray());
    EventFactory events = factory(SMALL);
    UpstreamEvent digest = events.digest("digest:north:dno:a:b", "dno", figures);
    assertTrue(EventFactory.packetBytes(digest.topic(), digest.payload().length()) <= SMALL, digest.payload().length() + " bytes");
    JsonObject sent = new JsonObject(digest.payload());
    JsonObject listed = sent.getJsonObject("byCode");
    JsonObject other = sent.getJsonObject("otherCodes");
    assertTrue(listed.size() > 10, "as many codes as fit are listed: " + listed.size());
    assertEquals(300, listed.size() + other.getInteger("codes"));
    long listedAlerts = listed.stream().mapToLong(e -> ((JsonObject) e.getValue()).getLong("forwarded")
        + ((JsonObject) e.getValue()).getLong("silenced")).sum();
    assertEquals(alerts, listedAlerts + other.getLong("alerts"), "the folded codes' alerts are said, not dropped");
    assertEquals(other.getLong("alerts"), other.getJsonObject("byOutcome").getLong("forwarded")
        + other.getJsonObject("byOutcome").getLong("silenced"));
    assertTrue(listed.containsKey("812B") && !listed.containsKey("8000"), "the codes with the most alerts are kept");
    assertEquals(listed.fieldNames(), sent.getJsonObject("stormsByCode").fieldNames(), "storms of the same codes");
    assertEquals(listed.size(), sent.getJsonArray("silences").size());
    assertEquals(listed, new JsonObject(events.digest("digest:north:dno:a:b", "dno", figures).payload()).getJsonObject("byCode"),
        "built again (a resend), the same codes listed");
  }
}
