package org.csp.edge.decision;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/**
 * What one hub's state holds is bounded whatever a client sends (issue 17, items 3 and 7): a summary lists at most
 * maxDevicesPerSummary devices and folds the rest; devices past maxDevicesPerHub and codes past maxCodesPerHub are
 * still decided, never dropped, and every alert stays accounted for.
 */
class HubBoundsTest {
  private static final long T0 = 1_700_000_000_000L;

  private static AlertPolicy policy(int perSummary, int perHub, int codes) {
    return PolicyJson.read(new JsonObject()
        .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("releaseThreshold", 2)
            .put("quietPeriod", "30s").put("summaryPeriod", "20s"))
        .put("maxDevicesPerSummary", perSummary).put("maxDevicesPerHub", perHub).put("maxCodesPerHub", codes));
  }

  private static String device(int i) {
    return String.format("00-1B-C5-0C-00-01-%02X-%02X", i >> 8 & 0xFF, i & 0xFF);
  }

  /** Device i sends i + 1 alerts, so that the ranking by count is known. */
  private static List<Alert> stormFrom(int devices, long at) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      for (int k = 0; k <= i % 7; k++) alerts.add(alert(HUB, device(i), "8F3E", 1000L * i + k, at));
    }
    return alerts;
  }

  private static List<StormEvent.Summary> summaries(List<HubEvent> events) {
    return events.stream().filter(e -> e instanceof StormEvent.Summary).map(e -> (StormEvent.Summary) e).toList();
  }

  @Test
  void aSummaryListsTheDevicesWithTheMostAlertsAndFoldsTheRestSoThatItsCountAddsUp() {
    AlertPolicy policy = policy(10, 1000, 64);
    HubState hub = new HubState();
    List<Alert> alerts = stormFrom(150, T0);
    HubState.Outcome o = hub.apply(HUB, 1, alerts, T0, policy, RegionalGate.NEVER);
    long consolidated = count(o.verdicts(), Verdict.CONSOLIDATED);
    long forwarded = count(o.verdicts(), Verdict.FORWARD);
    assertEquals(alerts.size(), consolidated + forwarded);
    List<StormEvent.Summary> s = summaries(hub.settle(HUB, T0 + 20_000, policy, false));
    assertEquals(1, s.size());
    StormEvent.Summary summary = s.get(0);
    assertEquals(10, summary.devices().size());
    assertEquals(consolidated, summary.count());
    int listed = summary.devices().values().stream().mapToInt(StormEvent.DeviceCount::count).sum();
    assertEquals(summary.count(), listed + summary.otherCount(), "count = listed devices + otherCount");
    assertTrue(summary.devices().values().stream().allMatch(d -> d.count() == 7), "the devices with the most alerts");
    int devicesInStorm = (int) alerts.stream().skip(forwarded).map(Alert::deviceId).distinct().count();
    assertEquals(devicesInStorm - 10, summary.otherDevices());
    assertEquals(0, summary.untrackedAlerts());
    assertEquals(HoldReason.STORM, summary.reason());
  }

  @Test
  void devicesPastTheHubsBoundAreDecidedWithoutDuplicateCheckAndCountedUnderOther() {
    AlertPolicy policy = policy(100, 8, 64);
    HubState hub = new HubState();
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 40; i++) alerts.add(alert(HUB, device(i), "8F3E", 7, T0));
    for (int i = 0; i < 40; i++) alerts.add(alert(HUB, device(i), "8F3E", 7, T0)); // the same headers again
    HubState.Outcome o = hub.apply(HUB, 1, alerts, T0, policy, RegionalGate.NEVER);
    assertEquals(8, count(o.verdicts(), Verdict.DUPLICATE), "only the tracked devices' resent headers are seen");
    assertEquals(64, o.untrackedDevices(), "32 devices past the bound, twice");
    long consolidated = count(o.verdicts(), Verdict.CONSOLIDATED);
    assertEquals(80, consolidated + count(o.verdicts(), Verdict.FORWARD) + 8, "every alert decided");
    StormEvent.Summary summary = summaries(hub.settle(HUB, T0 + 20_000, policy, false)).get(0);
    assertEquals(consolidated, summary.count());
    assertTrue(summary.devices().size() <= 8);
    int listed = summary.devices().values().stream().mapToInt(StormEvent.DeviceCount::count).sum();
    assertEquals(summary.count(), listed + summary.otherCount());
    assertTrue(summary.untrackedAlerts() > 0 && summary.untrackedAlerts() <= summary.otherCount());
    assertTrue(hub.apply(HUB, 2, List.of(alert(HUB, device(39), "8F3E", 7, T0)), T0, policy, RegionalGate.NEVER)
        .untrackedDevices() == 1, "a device past the bound stays untracked");
  }

  @Test
  void codesPastTheHubsBoundAreForwardedWithoutAStormOfTheirOwn() {
    AlertPolicy policy = policy(100, 64, 2);
    HubState hub = new HubState();
    List<Alert> alerts = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      for (String code : new String[] {"8F3E", "8F3F", "8F40"}) alerts.add(alert(HUB, GPF, code, alerts.size(), T0));
    }
    HubState.Outcome o = hub.apply(HUB, 1, alerts, T0, policy, RegionalGate.NEVER);
    assertEquals(20, o.untrackedCodes());
    for (int i = 2; i < alerts.size(); i += 3) assertEquals(Verdict.FORWARD, Verdict.of(o.verdicts()[i]), "8F40 at " + i);
    assertEquals(2 * (20 - 4), count(o.verdicts(), Verdict.CONSOLIDATED), "the tracked codes still storm (at the 5th)");
  }

  @Test
  void foldingIsDeterministic() {
    Map<String, StormEvent.DeviceCount> devices = new java.util.HashMap<>();
    for (int i = 0; i < 50; i++) devices.put(device(i), new StormEvent.DeviceCount(1 + i % 3, "GPF", null));
    SummaryDevices a = SummaryDevices.fold(devices, 20);
    SummaryDevices b = SummaryDevices.fold(new java.util.TreeMap<>(devices), 20);
    assertEquals(a, b);
    assertEquals(30, a.otherDevices());
    int total = devices.values().stream().mapToInt(StormEvent.DeviceCount::count).sum();
    assertEquals(total, a.listed().values().stream().mapToInt(StormEvent.DeviceCount::count).sum() + a.otherCount());
  }

  private static long count(byte[] verdicts, Verdict v) {
    long n = 0;
    for (byte b : verdicts) if (Verdict.of(b) == v) n++;
    return n;
  }
}
