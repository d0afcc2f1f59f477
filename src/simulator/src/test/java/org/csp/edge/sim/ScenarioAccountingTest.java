package org.csp.edge.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioAccountingTest {

  private static final Pattern EUI64 = Pattern.compile("[0-9A-F]{2}(-[0-9A-F]{2}){7}");
  private static final Pattern CODE = Pattern.compile("[0-9A-F]{4}");
  private static final List<String> REQUIRED = List.of("hubId", "deviceId", "alertCode", "originatorCounter", "raisedAt");
  private static final Set<String> ALL_VALID_KINDS = Set.of(Kinds.VALID, Kinds.VALID_BATCH, Kinds.VALID_EDGE);

  /** The heart of it: every message's declared accounting is what a correct node would do with it. */
  @Test
  void declaredAccountingMatchesAReferenceReadingOfTheWireFormat() {
    for (Scenario scenario : Scenarios.all()) {
      for (ScenarioContext context : List.of(TestContexts.mqtt(5, 0.05), TestContexts.http(5, 0.05),
        TestContexts.ndjson(5, 0.05))) {
        WireOracle oracle = new WireOracle(context);
        for (SimMessage m : scenario.generate(context)) {
          WireOracle.Verdict verdict = oracle.judge(m);
          String where = scenario.name() + "/" + context.transport() + "/" + context.batchFormat() + ": " + m
            + " oracle " + verdict;
          assertEquals(m.validAlerts(), verdict.accepted(), where);
          assertEquals(m.duplicateAlerts(), verdict.duplicates(), where);
          assertEquals(m.badAlerts(), verdict.rejected(), where);
        }
      }
    }
  }

  @Test
  void unitsAndCodesAddUp() {
    List<SimMessage> messages = new MixScenario().generate(TestContexts.mqtt(9, 0.1));
    long units = 0;
    long valid = 0;
    long duplicates = 0;
    long bad = 0;
    Map<String, Long> byCode = new HashMap<>();
    for (SimMessage m : messages) {
      units += m.alertsSent();
      valid += m.validAlerts();
      duplicates += m.duplicateAlerts();
      bad += m.badAlerts();
      assertEquals(m.alertsSent(), m.byCode().values().stream().mapToInt(Integer::intValue).sum(), m.toString());
      m.byCode().forEach((code, n) -> byCode.merge(code, (long) n, Long::sum));
    }
    assertEquals(units, valid + duplicates + bad);
    assertEquals(units, byCode.values().stream().mapToLong(Long::longValue).sum());
    assertTrue(valid > 0 && duplicates > 0 && bad > 0, "mix has good, duplicate and bad units");
    byCode.keySet().forEach(code -> assertTrue(code.equals(SimMessage.INVALID_CODE) || CODE.matcher(code).matches(), code));
  }

  @Test
  void validMessagesCarryWellFormedAlerts() {
    boolean sawCounterAboveLongMax = false;
    boolean sawDmc = false;
    boolean sawPayload = false;
    for (ScenarioContext context : List.of(TestContexts.mqtt(21, 0.1), TestContexts.ndjson(21, 0.1))) {
      for (SimMessage m : new MixScenario().generate(context)) {
        if (!ALL_VALID_KINDS.contains(m.kind())) {
          continue;
        }
        assertEquals(m.alertsSent(), m.validAlerts(), m.toString());
        for (JsonObject alert : alerts(m)) {
          for (String field : REQUIRED) {
            assertTrue(alert.containsKey(field), field + " missing in " + alert);
          }
          assertTrue(EUI64.matcher(alert.getString("hubId")).matches(), alert.encode());
          assertTrue(EUI64.matcher(alert.getString("deviceId")).matches(), alert.encode());
          assertTrue(CODE.matcher(alert.getString("alertCode")).matches(), alert.encode());
          assertNotNull(Instant.parse(alert.getString("raisedAt")));
          BigInteger counter = new BigInteger(alert.getValue("originatorCounter").toString());
          assertTrue(counter.signum() >= 0 && counter.compareTo(WireOracle.U64_MAX) <= 0, alert.encode());
          sawCounterAboveLongMax |= counter.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0;
          if (alert.containsKey("dmc")) {
            JsonObject dmc = alert.getJsonObject("dmc");
            assertTrue(dmc.getValue("manufacturer") instanceof String && dmc.getValue("model") instanceof String
              && dmc.getValue("firmware") instanceof String, alert.encode());
            sawDmc = true;
          }
          if (alert.containsKey("payload")) {
            assertTrue(alert.getString("payload").matches("[A-Za-z0-9+/]*={0,2}"), alert.encode());
            sawPayload = true;
          }
          if (m.hubTopic() != null) {
            assertEquals(m.hubTopic(), alert.getString("hubId"), "a single-hub message carries its topic's hub");
          }
        }
      }
    }
    assertTrue(sawCounterAboveLongMax, "some counters exceed Long.MAX_VALUE");
    assertTrue(sawDmc && sawPayload, "optional dmc and payload appear");
  }

  @Test
  void headersAreUniqueUnlessResentOnPurpose() {
    List<SimMessage> messages = new MixScenario().generate(TestContexts.mqtt(33, 0.1));
    Set<String> seen = new HashSet<>();
    Map<String, byte[]> originals = new HashMap<>();
    int resends = 0;
    for (SimMessage m : messages) {
      if (m.kind().equals(Kinds.DUPLICATE_RESEND)) {
        JsonObject alert = alerts(m).get(0);
        assertTrue(seen.contains(header(alert)), "a resend repeats a header already sent: " + alert.encode());
        assertTrue(Arrays.equals(originals.get(header(alert)), m.payload()), "a resend is byte-identical");
        resends++;
        continue;
      }
      if (m.kind().equals(Kinds.DUPLICATE_IN_BATCH)) {
        List<JsonObject> pair = alerts(m);
        assertEquals(2, pair.size());
        assertEquals(header(pair.get(0)), header(pair.get(1)));
        assertTrue(seen.add(header(pair.get(0))), "the first of the pair is new");
        continue;
      }
      if (ALL_VALID_KINDS.contains(m.kind())) {
        for (JsonObject alert : alerts(m)) {
          assertTrue(seen.add(header(alert)), "header sent twice without being a resend: " + alert.encode());
          if (m.alertsSent() == 1) {
            originals.put(header(alert), m.payload());
          }
        }
      }
    }
    int meters = TestContexts.mqtt(33, 0.1).scaled(CounterResendScenario.DEFAULT_RESENDING_METERS);
    assertEquals(meters * CounterResendScenario.HEADERS_PER_METER * CounterResendScenario.RESENDS_PER_HEADER, resends);
  }

  @Test
  void healthyNeverRepeatsACodeMoreThanTwicePerHub() {
    Map<String, Integer> perHubCode = new HashMap<>();
    Set<String> hubs = new HashSet<>();
    for (SimMessage m : new HealthyScenario().generate(TestContexts.mqtt(4, 0.2))) {
      assertEquals(Kinds.VALID, m.kind());
      JsonObject alert = alerts(m).get(0);
      hubs.add(alert.getString("hubId"));
      int n = perHubCode.merge(alert.getString("hubId") + "/" + alert.getString("alertCode"), 1, Integer::sum);
      assertTrue(n <= HealthyScenario.MAX_SAME_CODE_PER_HUB, alert.encode());
    }
    assertEquals(100, hubs.size());
  }

  @Test
  void gpfStormIsOneHubWithAFaultyGpfAndAFewOtherDevices() {
    List<SimMessage> messages = new GpfStormScenario().generate(TestContexts.mqtt(4, 0.5));
    Set<String> hubs = new HashSet<>();
    Set<String> otherDevices = new HashSet<>();
    int storm = 0;
    for (SimMessage m : messages) {
      for (JsonObject alert : alerts(m)) {
        hubs.add(alert.getString("hubId"));
        if (alert.getString("alertCode").equals("8F3E")) {
          assertEquals("GPF", alert.getString("deviceType"));
          assertEquals(GpfStormScenario.FAULTY_FIRMWARE, alert.getJsonObject("dmc").getString("firmware"));
          storm++;
        } else {
          otherDevices.add(alert.getString("deviceId"));
        }
      }
    }
    assertEquals(1, hubs.size());
    assertEquals(1000, storm);
    assertEquals(3, otherDevices.size());
    assertTrue(messages.stream().anyMatch(m -> m.kind().equals(Kinds.VALID_BATCH)), "some storm alerts come in batches");
  }

  @Test
  void voltageStormRepeatsBothCodesOnEveryHub() {
    Map<String, Integer> counts = new HashMap<>();
    for (SimMessage m : new VoltageStormScenario().generate(TestContexts.mqtt(4, 0.1))) {
      JsonObject alert = alerts(m).get(0);
      counts.merge(alert.getString("hubId") + "/" + alert.getString("alertCode"), 1, Integer::sum);
    }
    int hubs = (int) Math.round(VoltageStormScenario.DEFAULT_HUBS * 0.1);
    assertEquals(hubs * 2, counts.size(), hubs + " hubs x 2 codes");
    counts.values().forEach(n -> assertEquals(VoltageStormScenario.REPEATS_PER_CODE, n));
    assertTrue(counts.keySet().stream().allMatch(k -> k.endsWith("/8014") || k.endsWith("/8015")));
  }

  @Test
  void powerRestoreIsOneAlertFromEachOfManyHubsPartlyInHeadEndBatches() {
    List<SimMessage> messages = new PowerRestoreScenario().generate(TestContexts.mqtt(4, 0.1));
    Set<String> hubs = new HashSet<>();
    int batches = 0;
    for (SimMessage m : messages) {
      if (m.kind().equals(Kinds.VALID_BATCH)) {
        assertEquals(null, m.hubTopic(), "head-end batches go to 'alerts'");
        assertEquals(PowerRestoreScenario.HEAD_END_BATCH, m.alertsSent());
        batches++;
      }
      for (JsonObject alert : alerts(m)) {
        assertEquals(PowerRestoreScenario.POWER_RESTORE_CODE, alert.getString("alertCode"));
        assertTrue(hubs.add(alert.getString("hubId")), "each hub once");
      }
    }
    assertEquals(200, hubs.size());
    assertEquals(2, batches);
  }

  @Test
  void reportTotalsAreTheSumsOverMessagesSent() {
    ScenarioContext context = TestContexts.mqtt(8, 0.05);
    List<SimMessage> messages = new MixScenario().generate(context);
    SimReport report = FakeTransport.runAll(messages, context);
    assertEquals(messages.size(), report.messagesSent());
    assertEquals(messages.stream().mapToLong(SimMessage::alertsSent).sum(), report.alertsSent());
    assertEquals(messages.stream().mapToLong(SimMessage::validAlerts).sum(), report.validAlerts());
    assertEquals(messages.stream().mapToLong(SimMessage::duplicateAlerts).sum(), report.duplicateAlerts());
    assertEquals(messages.stream().mapToLong(SimMessage::badAlerts).sum(), report.badAlerts());
    assertEquals(report.alertsSent(), report.byCode().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(report.alertsSent(), report.byKind().values().stream().mapToLong(SimReport.KindTotals::alerts).sum());
    assertEquals(report.messagesSent(), report.byKind().values().stream().mapToLong(SimReport.KindTotals::messages).sum());
    assertTrue(report.complete());
    assertFalse(report.toText().isBlank());
    assertEquals(report.alertsSent(), report.toJson().getJsonObject("alerts").getLong("sent"));
  }

  static String header(JsonObject alert) {
    return alert.getString("deviceId") + "/" + alert.getValue("originatorCounter");
  }

  /** The alert objects of a well-formed message. */
  static List<JsonObject> alerts(SimMessage m) {
    List<JsonObject> out = new ArrayList<>();
    if (m.format() == SimMessage.Format.NDJSON) {
      for (String line : new String(m.payload(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(new JsonObject(line));
        }
      }
      return out;
    }
    Object parsed = Json.decodeValue(Buffer.buffer(m.payload()));
    if (parsed instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        out.add(array.getJsonObject(i));
      }
    } else {
      out.add((JsonObject) parsed);
    }
    return out;
  }
}
