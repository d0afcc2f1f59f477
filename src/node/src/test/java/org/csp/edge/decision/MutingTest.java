package org.csp.edge.decision;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/** The muting stage with a hand-moved clock: silences, inhibition rules, the forward-mode exemption, held summaries. */
class MutingTest {
  /** Summaries every 60 s; 8F01 always forwarded; a reboot (8F35) inhibits rejoins (8183) of its hub for 30 s. */
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("releaseThreshold", 2)
          .put("summaryPeriod", "60s"))
      .put("maxDevicesPerSummary", 10)
      .put("codes", new JsonObject().put("8F01", new JsonObject().put("mode", "forward")))
      .put("inhibitions", new JsonArray()
          .add(rule("reboot", "8F35", "8183", "hub", "30s"))
          .add(rule("tamper-then-cover", "8F3F", "8F74", "device", "30s"))
          .add(rule("exempt-target", "8F35", "8F01", "hub", "30s"))));

  private static final long T0 = 1_700_000_000_000L;
  private final HubState hub = new HubState();
  private final HubState backup = new HubState();
  private long now = T0;
  private long counter;
  private long operation;

  private static JsonObject rule(String name, String source, String target, String scope, String duration) {
    return new JsonObject().put("name", name).put("sourceCodes", new JsonArray().add(source))
        .put("targetCodes", new JsonArray().add(target)).put("scope", scope).put("duration", duration);
  }

  private static String device(int i) {
    return String.format("00-1B-C5-0C-00-00-10-%02X", i);
  }

  /** Applies on the "owner" and replays on the "backup" with the same silences: both must answer alike. */
  private HubState.Outcome apply(List<Silence> silences, Alert... alerts) {
    long op = ++operation;
    HubState.Outcome o = hub.apply(HUB, op, List.of(alerts), now, POLICY, silences, RegionalGate.NEVER);
    HubState.Outcome b = backup.replay(HUB, op, List.of(alerts), now, POLICY, silences, o.answers());
    assertEquals(List.of(verdicts(o)), List.of(verdicts(b)), "the backup decides as the owner");
    assertEquals(o.raised(), b.raised());
    return o;
  }

  private static List<Verdict> verdicts(HubState.Outcome o) {
    List<Verdict> v = new ArrayList<>();
    for (byte b : o.verdicts()) v.add(Verdict.of(b));
    return v;
  }

  private List<HubEvent> settle(boolean flush) {
    List<HubEvent> raised = hub.settle(HUB, now, POLICY, flush);
    assertEquals(raised, backup.settle(HUB, now, POLICY, flush));
    return raised;
  }

  private static List<StormEvent.Summary> summaries(List<HubEvent> events) {
    return events.stream().filter(e -> e instanceof StormEvent.Summary).map(e -> (StormEvent.Summary) e).toList();
  }

  private Alert a(String device, String code) {
    return alert(HUB, device, code, ++counter, now);
  }

  @Test
  void aSilenceHoldsMatchingAlertsIntoOneSummaryWithItsIdAndLetsThemThroughOnceOver() {
    Silence s = new Silence("s-1", "8F1*", null, null, "Acme", null, null, T0, T0 + 30_000);
    List<Silence> silences = List.of(s);
    int held = 0;
    for (int i = 0; i < 12; i++, now += 1000) {
      HubState.Outcome o = apply(silences, a(device(i % 3), "8F12"), a(GPF, "8F01"));
      assertEquals(List.of(Verdict.SILENCED, Verdict.FORWARD), verdicts(o), "alert " + i);
      assertEquals(1, o.silenced().get("s-1"));
      held++;
    }
    assertTrue(summaries(settle(false)).isEmpty(), "nothing before the period ends");
    now = T0 + 30_000; // the silence's end closes its period (before summaryPeriod)
    List<StormEvent.Summary> raised = summaries(settle(false));
    assertEquals(1, raised.size());
    StormEvent.Summary sum = raised.get(0);
    assertEquals(HoldReason.SILENCED, sum.reason());
    assertEquals("s-1", sum.heldBy());
    assertEquals(held, sum.count());
    assertEquals(held, sum.devices().values().stream().mapToInt(StormEvent.DeviceCount::count).sum());
    assertEquals(T0, sum.periodStart());
    assertEquals(T0 + 30_000, sum.periodEnd());
    assertEquals("summary:" + HUB + ":8F12:silenced:s-1:" + T0, sum.eventId());
    // Over: forwarded again (its own storm rules apply: still under the threshold here).
    assertEquals(List.of(Verdict.FORWARD), verdicts(apply(silences, a(GPF, "8F12"))));
    assertEquals(Long.MAX_VALUE, hub.nextDueAt(POLICY), "nothing held any more");
  }

  @Test
  void aRebootThenThirtyRejoinsGiveOneInhibitedSummaryNotThirtyAlertsOrAStorm() {
    assertEquals(List.of(Verdict.FORWARD), verdicts(apply(List.of(), a(GPF, "8F35"))));
    List<HubEvent> raised = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      now += 200;
      HubState.Outcome o = apply(List.of(), a(device(i), "8183"));
      assertEquals(List.of(Verdict.INHIBITED), verdicts(o));
      raised.addAll(o.raised());
    }
    assertTrue(raised.isEmpty(), "nothing raised while held: " + raised);
    now = T0 + 30_000;
    List<StormEvent.Summary> sums = summaries(settle(false));
    assertEquals(1, sums.size());
    StormEvent.Summary sum = sums.get(0);
    assertEquals(HoldReason.INHIBITED, sum.reason());
    assertEquals("reboot", sum.heldBy());
    assertEquals("8F35", sum.sourceAlertCode());
    assertEquals(30, sum.count());
    assertEquals(10, sum.devices().size(), "bounded by maxDevicesPerSummary");
    assertEquals(20, sum.otherDevices());
    assertEquals(20, sum.otherCount());
    // The inhibition is over: a rejoin now goes its usual way.
    now += 1;
    assertEquals(List.of(Verdict.FORWARD), verdicts(apply(List.of(), a(device(1), "8183"))));
  }

  /** A later source extends the inhibition, and what it holds already: one summary, at the extended end. */
  @Test
  void anExtendedInhibitionRaisesOneSummaryAtItsNewEnd() {
    apply(List.of(), a(GPF, "8F35"));
    now += 300;
    for (int i = 0; i < 3; i++) assertEquals(List.of(Verdict.INHIBITED), verdicts(apply(List.of(), a(device(i), "8183"))));
    now = T0 + 10_000;
    apply(List.of(), a(GPF, "8F35")); // extends the rule to T0 + 40 s
    now = T0 + 20_000;
    assertEquals(List.of(Verdict.INHIBITED), verdicts(apply(List.of(), a(device(3), "8183"))));
    now = T0 + 30_000; // the first source's end
    assertTrue(summaries(settle(false)).isEmpty(), "nothing raised at the end the inhibition had before");
    now = T0 + 40_000;
    List<StormEvent.Summary> sums = summaries(settle(false));
    assertEquals(1, sums.size(), sums.toString());
    assertEquals(4, sums.get(0).count());
    assertEquals(T0 + 40_000, sums.get(0).periodEnd());
  }

  @Test
  void aCodeInForwardModeIsNeverSilencedOrInhibited() {
    Silence everything = new Silence("all", null, null, null, null, null, null, T0, T0 + 3_600_000);
    apply(List.of(), a(GPF, "8F35")); // the source of "exempt-target", whose target 8F01 is in forward mode
    for (int i = 0; i < 20; i++, now += 100) {
      assertEquals(List.of(Verdict.FORWARD), verdicts(apply(List.of(everything), a(device(i), "8F01"))));
    }
  }

  @Test
  void aSourceInForwardModeStillStartsItsRule() {
    AlertPolicy policy = new AlertPolicy(POLICY.defaults(),
        java.util.Map.of("8F35", new CodePolicy(CodeMode.FORWARD, 5, java.time.Duration.ofSeconds(10), 2,
            java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(60), 200, java.time.Duration.ofSeconds(10),
            50, java.time.Duration.ofSeconds(2))),
        POLICY.duplicateRetention(), 8, 500, 10, 64, 64, DmcRules.NONE, POLICY.inhibitions());
    HubState h = new HubState();
    assertEquals(Verdict.FORWARD, Verdict.of(h.apply(HUB, 1, List.of(a(GPF, "8F35")), now, policy, RegionalGate.NEVER).verdicts()[0]));
    assertEquals(Verdict.INHIBITED, Verdict.of(h.apply(HUB, 2, List.of(a(device(1), "8183")), now, policy, RegionalGate.NEVER).verdicts()[0]));
  }

  @Test
  void aDeviceScopedRuleHoldsOnlyThatDevicesTargets() {
    apply(List.of(), a(device(1), "8F3F"));
    assertEquals(List.of(Verdict.INHIBITED, Verdict.FORWARD),
        verdicts(apply(List.of(), a(device(1), "8F74"), a(device(2), "8F74"))));
  }

  @Test
  void silencedAndInhibitedAlertsAreNeverMixedInOneSummary() {
    Silence s = new Silence("s-2", "8183", null, device(1), null, null, null, T0, T0 + 600_000);
    apply(List.of(s), a(GPF, "8F35"));
    apply(List.of(s), a(device(1), "8183"), a(device(2), "8183"), a(device(3), "8183"));
    now = T0 + 60_000;
    List<StormEvent.Summary> sums = summaries(settle(false));
    assertEquals(2, sums.size(), sums.toString());
    StormEvent.Summary silenced = sums.stream().filter(x -> x.reason() == HoldReason.SILENCED).findFirst().orElseThrow();
    StormEvent.Summary inhibited = sums.stream().filter(x -> x.reason() == HoldReason.INHIBITED).findFirst().orElseThrow();
    assertEquals(1, silenced.count());
    assertEquals(2, inhibited.count());
  }

  @Test
  void aShutdownFlushRaisesOpenHeldPeriodsAndAHubCopyKeepsThem() {
    Silence s = new Silence("s-3", null, HUB, null, null, null, null, T0, T0 + 600_000);
    apply(List.of(s), a(GPF, "8F12"), a(GPF, "8F13"));
    HubState copy = HubState.of(hub.parts());
    assertEquals(hub.nextDueAt(POLICY), copy.nextDueAt(POLICY));
    assertFalse(copy.idleSince(Long.MAX_VALUE), "a hub holding alerts is never forgotten");
    now += 5_000;
    List<StormEvent.Summary> flushed = summaries(copy.settle(HUB, now, POLICY, true));
    assertEquals(2, flushed.size());
    assertEquals(2, flushed.stream().mapToInt(StormEvent.Summary::count).sum());
    assertEquals(Long.MAX_VALUE, copy.nextDueAt(POLICY));
  }

  @Test
  void aRetriedOperationAnswersTheSameWithHeldVerdicts() {
    Silence s = new Silence("s-4", "8F12", null, null, null, null, null, T0, T0 + 600_000);
    List<Alert> batch = List.of(a(GPF, "8F12"), a(GPF, "0001"));
    byte[] first = hub.apply(HUB, 77, batch, now, POLICY, List.of(s), RegionalGate.NEVER).verdicts();
    HubState.Outcome again = hub.apply(HUB, 77, batch, now, POLICY, List.of(s), RegionalGate.NEVER);
    assertEquals(List.of(Verdict.SILENCED, Verdict.FORWARD), verdicts(again));
    assertTrue(again.raised().isEmpty());
    assertEquals(first.length, again.verdicts().length);
    HubState copy = HubState.of(hub.parts());
    assertEquals(List.of(Verdict.SILENCED, Verdict.FORWARD),
        verdicts(copy.apply(HUB, 77, batch, now, POLICY, List.of(s), RegionalGate.NEVER)), "remembered past a copy");
  }

  @Test
  void globsMatchAnyRunOfCharactersAndNothingElseIsSpecial() {
    assertTrue(Glob.matches("8F*", "8F3E"));
    assertTrue(Glob.matches("*", null));
    assertTrue(Glob.matches(null, "x"));
    assertTrue(Glob.matches("00-1B-*-01", "00-1B-C5-0C-00-00-00-01"));
    assertTrue(Glob.matches("E4*0", "E470"));
    assertFalse(Glob.matches("8F*", "8E3E"));
    assertFalse(Glob.matches("8F3", "8F3E"));
    assertFalse(Glob.matches("8F?E", "8F3E"));
    assertFalse(Glob.matches("Acme", null));
    Silence byModel = new Silence("m", null, null, null, "Acme", "GPF-*", "1.0.*", 0, Long.MAX_VALUE);
    assertTrue(byModel.matches(a(GPF, "8F12"), now));
    assertFalse(byModel.matches(new Alert(HUB, GPF, "GPF", "8F12", 1, "x", now, new Dmc("Acme", "ESME-1", "1.0.3"), null), now));
    assertFalse(byModel.matches(new Alert(HUB, GPF, "GPF", "8F12", 1, "x", now, null, null), now), "no DMC, no match");
    assertNull(HubMuting.of(List.of(), List.of()), "no muting state when nothing is held");
  }
}
