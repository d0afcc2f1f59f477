package org.csp.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/**
 * Which devices storm by themselves (the register's stormed devices): a device whose own consolidated alerts of a code
 * in its hub's storm period would keep the storm going alone (the code's release threshold, 3 here). A device of a
 * storming hub that sent one alert did not storm, though its alert was consolidated; nor did a device whose model's own
 * rule storms sooner, sending what the others send.
 */
class StormingDevicesTest {
  private static final String HUB = "00-1B-C5-0C-00-00-00-01";
  private static final String REPEATER = "00-1B-C5-0C-00-00-00-02";
  private static final String BYSTANDER = "00-1B-C5-0C-00-00-00-03";
  private static final Dmc FAULTY = new Dmc("Bad", "G1", "1");
  private static final Dmc INNOCENT = new Dmc("Innocent", "E1", "1");
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 10).put("releaseThreshold", 3).put("summaryPeriod", "15m"))
      .put("dmcs", new JsonArray().add(new JsonObject().put("manufacturer", "Sooner").put("model", "*").put("firmware", "*")
          .put("stormThreshold", 3))));

  @Test
  void aBystanderOfAStormingHubDidNotStormTheRepeaterDid() {
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    List<Alert> marked = new ArrayList<>();
    List<Verdict> bystander = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      marked.addAll(decide(hub, alert(REPEATER, FAULTY, i, now), now, i, null));
      now += 1_000;
      if (i == 12) marked.addAll(decide(hub, alert(BYSTANDER, INNOCENT, 1, now), now, 100, bystander));
    }
    assertEquals(List.of(Verdict.CONSOLIDATED), bystander, "the bystander's alert is consolidated with the hub's storm");
    assertEquals(List.of(), marked.stream().filter(a -> a.deviceId().equals(BYSTANDER)).toList(), "but it did not storm");
    // The hub storms from the repeater's 10th alert, the first consolidated: its 12th is its third in the storm.
    List<Long> counters = marked.stream().map(Alert::originatorCounter).toList();
    assertEquals(List.of(12L, 13L, 14L, 15L), counters, "the repeater stormed by itself, from its third alert in the storm");
  }

  @Test
  void aModelWhoseRuleStormsSoonerIsJudgedByTheCodesThreshold() {
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    Dmc sooner = new Dmc("Sooner", "S1", "1");
    List<Verdict> verdicts = new ArrayList<>();
    List<Alert> marked = new ArrayList<>();
    // It sends what every other model's devices send, 3 alerts: its own rule (3) storms its hub at the third.
    for (int i = 1; i <= 3; i++) {
      marked.addAll(decide(hub, alert(REPEATER, sooner, i, now), now, i, verdicts));
      now += 1_000;
    }
    assertEquals(Verdict.CONSOLIDATED, verdicts.get(2), "its own rule consolidates its 3rd alert");
    assertEquals(List.of(), marked, "one alert in the storm: not a storming device, whatever its rule");
  }

  @Test
  void aModelWhoseRuleStormsSoonerStormsForTheRegisterOnlyAtTheCodesRate() {
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    Dmc sooner = new Dmc("Sooner", "S1", "1");
    List<Alert> marked = new ArrayList<>();
    // 6 alerts: its own rule (3) storms its hub at the third, and it reaches the code's release threshold (3) in that
    // storm at its fifth; but under the code's rule (10 in a minute) its hub never storms.
    for (int i = 1; i <= 6; i++) {
      marked.addAll(decide(hub, alert(REPEATER, sooner, i, now), now, i, null));
      now += 1_000;
    }
    assertEquals(List.of(), marked, "six alerts a minute: not storming by the code's rule");
    // Going on to the code's rate, it storms by the code's rule too: from its 10th alert in the window.
    for (int i = 7; i <= 12; i++) {
      marked.addAll(decide(hub, alert(REPEATER, sooner, i, now), now, i, null));
      now += 1_000;
    }
    assertEquals(List.of(10L, 11L, 12L), marked.stream().map(Alert::originatorCounter).toList());
  }

  /** While the owner learns the region's background it cannot tell a burst: every hub of one storms, none is marked. */
  @Test
  void nothingIsMarkedWhileTheOwnerCannotTellARegionalBurst() {
    RegionalGate learning = new RegionalGate() {
      @Override
      public boolean group(String alertCode, String hubId, long now, CodePolicy policy) {
        return false;
      }

      @Override
      public boolean learning(long now, CodePolicy policy) {
        return true;
      }
    };
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    int marks = 0;
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      HubState.Outcome o = hub.apply(HUB, i, List.of(alert(REPEATER, FAULTY, i, now)), now, POLICY, learning);
      verdicts.add(Verdict.of(o.verdicts()[0]));
      marks += o.stormingDevices().size();
      now += 1_000;
    }
    assertEquals(Verdict.CONSOLIDATED, verdicts.get(19), "the hub storms");
    assertEquals(0, marks, "but its device is not counted as storming by itself");
  }

  @Test
  void aRetriedOperationMarksNothingAgain() {
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    int marks = 0;
    for (int i = 1; i <= 30; i++) {
      marks += decide(hub, alert(REPEATER, FAULTY, i, now), now, i, null).size();
      now += 1_000;
    }
    assertEquals(true, marks > 0);
    assertEquals(List.of(), decide(hub, alert(REPEATER, FAULTY, 30, now), now, 30, null), "the retry answers as before, unmarked");
  }

  private static List<Alert> decide(HubState hub, Alert alert, long now, long operation, List<Verdict> verdicts) {
    HubState.Outcome o = hub.apply(HUB, operation, List.of(alert), now, POLICY, RegionalGate.NEVER);
    if (verdicts != null) verdicts.add(Verdict.of(o.verdicts()[0]));
    return o.stormingDevices();
  }

  private static Alert alert(String device, Dmc dmc, long counter, long at) {
    return new Alert(HUB, device, "GPF", "8F3E", counter, Instant.ofEpochMilli(at).toString(), at, dmc, null);
  }
}
