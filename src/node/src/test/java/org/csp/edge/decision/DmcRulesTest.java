package org.csp.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/** Rules per device model ({@code policy.dmcs}): a model's devices get its rule, every other device its code's. */
class DmcRulesTest {
  private static final String HUB = "00-1B-C5-0C-00-00-00-01";
  private static final Dmc CHATTY = new Dmc("Acme", "GPF-2", "1.0.3");
  private static final Dmc CHATTY_FIXED = new Dmc("Acme", "GPF-2", "1.0.4");
  private static final Dmc OTHER = new Dmc("Other", "ESME-9", "2.1");
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 10))
      .put("codes", new JsonObject().put("8F01", new JsonObject().put("mode", "forward"))
          .put("8F3E", new JsonObject().put("summaryPeriod", "1h")))
      .put("dmcs", new JsonArray()
          .add(new JsonObject().put("manufacturer", "Acme").put("model", "GPF-2").put("firmware", "1.0.3")
              .put("stormThreshold", 3).put("codes", new JsonObject().put("8f12", new JsonObject().put("mode", "forward"))))
          .add(new JsonObject().put("manufacturer", "Acme").put("model", "*").put("firmware", "*").put("mode", "forward"))
          .add(new JsonObject().put("manufacturer", "*").put("model", "ESME-9").put("firmware", "*").put("stormThreshold", 5))));

  @Test
  void aModelsDevicesGetItsRuleOthersTheCodes() {
    assertEquals(3, POLICY.forAlert("8F3E", CHATTY).stormThreshold(), "the exact entry");
    assertEquals(java.time.Duration.ofHours(1), POLICY.forAlert("8F3E", CHATTY).summaryPeriod(), "the code's other settings stay");
    assertEquals(CodeMode.FORWARD, POLICY.forAlert("8F12", CHATTY).mode(), "the entry's rule for one code");
    assertEquals(CodeMode.FORWARD, POLICY.forAlert("8F3E", CHATTY_FIXED).mode(), "another firmware: the wildcard entry");
    assertEquals(5, POLICY.forAlert("8F3E", OTHER).stormThreshold(), "a wildcard manufacturer");
    assertSame(POLICY.forCode("8F3E"), POLICY.forAlert("8F3E", new Dmc("Nobody", "X", "1")), "no entry: the code's rule");
    assertSame(POLICY.forCode("8F3E"), POLICY.forAlert("8F3E", null), "no dmc: the code's rule");
    assertEquals(3, POLICY.forAlert("8F3E", CHATTY).stormThreshold(), "a setting the entry sets overrides the code's");
    assertEquals(Duration.ofHours(1), POLICY.forAlert("8F3E", CHATTY).summaryPeriod(), "one it leaves out stays the code's");
    assertSame(POLICY.forCode("8F01"), POLICY.forAlert("8F01", CHATTY), "an exempt code keeps its own rule for every model");
    assertNull(new DmcRules(List.of()).match(CHATTY));
  }

  @Test
  void theFirstListedEntryThatMatchesWins() {
    AlertPolicy wildFirst = PolicyJson.read(new JsonObject().put("dmcs", new JsonArray()
        .add(new JsonObject().put("manufacturer", "*").put("model", "*").put("firmware", "*").put("stormThreshold", 7))
        .add(new JsonObject().put("manufacturer", "Acme").put("model", "GPF-2").put("firmware", "1.0.3").put("stormThreshold", 3))));
    assertEquals(7, wildFirst.forAlert("8F3E", CHATTY).stormThreshold());
  }

  @Test
  void onAHubTheChattyModelStormsAtItsThresholdWhileAnotherModelIsForwarded() {
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    int counter = 0;
    Verdict[] chatty = new Verdict[4];
    Verdict[] other = new Verdict[4];
    for (int i = 0; i < 4; i++) {
      chatty[i] = decide(hub, alert("00-1B-C5-0C-00-00-00-02", CHATTY, "8F12", ++counter, now), now, i);
      now += 1_000;
    }
    for (int i = 0; i < 4; i++) {
      other[i] = decide(hub, alert("00-1B-C5-0C-00-00-00-03", OTHER, "8F3E", ++counter, now), now, 10 + i);
      now += 1_000;
    }
    assertEquals(List.of(Verdict.FORWARD, Verdict.FORWARD, Verdict.FORWARD, Verdict.FORWARD), List.of(chatty),
        "8F12 from the chatty model: forward by the entry's rule for the code");
    assertEquals(List.of(Verdict.FORWARD, Verdict.FORWARD, Verdict.FORWARD, Verdict.FORWARD), List.of(other),
        "below the ESME-9 entry's 5");
    HubState second = new HubState();
    Verdict[] third = new Verdict[4];
    for (int i = 0; i < 4; i++) {
      third[i] = decide(second, alert("00-1B-C5-0C-00-00-00-02", CHATTY, "8F3E", ++counter, now), now, 20 + i);
      now += 1_000;
    }
    assertEquals(List.of(Verdict.FORWARD, Verdict.FORWARD, Verdict.CONSOLIDATED, Verdict.CONSOLIDATED), List.of(third),
        "8F3E from the chatty model storms at 3, not the code's 10");
  }

  private static Verdict decide(HubState hub, Alert alert, long now, long operation) {
    return Verdict.of(hub.apply(HUB, operation, List.of(alert), now, POLICY, RegionalGate.NEVER).verdicts()[0]);
  }

  private static Alert alert(String device, Dmc dmc, String code, long counter, long at) {
    return new Alert(HUB, device, "GPF", code, counter, Instant.ofEpochMilli(at).toString(), at, dmc, null);
  }

  @Test
  void thePolicyWritesBackWhatItReads() {
    assertEquals(POLICY, PolicyJson.read(PolicyJson.write(POLICY)));
  }

  @Test
  void anEntryThatConsolidatesEveryCodeNeverDelaysAnExemptCode() {
    AlertPolicy policy = PolicyJson.read(new JsonObject()
        .put("codes", new JsonObject().put("8F01", new JsonObject().put("mode", "forward")))
        .put("dmcs", new JsonArray().add(new JsonObject().put("manufacturer", "*").put("model", "*").put("firmware", "*")
            .put("mode", "consolidate").put("stormThreshold", 1)
            .put("codes", new JsonObject().put("8F01", new JsonObject().put("mode", "consolidate"))))));
    assertEquals(CodeMode.FORWARD, policy.forAlert("8F01", CHATTY).mode(), "exempt whatever the model's entry says");
    assertEquals(CodeMode.CONSOLIDATE, policy.forAlert("8F3E", CHATTY).mode());
    assertEquals(1, policy.forAlert("8F3E", CHATTY).stormThreshold());
  }
}
