package org.csp.edge.decision;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.csp.edge.alert.Alert;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/**
 * The DSP counts each eventId once (the contract's accounting), so every alert the node forwards is an event of its
 * own: the same header taken twice, where the node cannot know it for a resend, is two events, as the node counts it.
 */
class ForwardedEventIdsTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String OTHER_HUB = "00-1B-C5-0C-00-00-00-09";

  private static AlertPolicy policy(int headersPerDevice, int devicesPerHub) {
    return PolicyJson.read(new JsonObject()
        .put("defaults", new JsonObject().put("stormThreshold", 1000).put("stormWindow", "10s"))
        .put("duplicates", new JsonObject().put("perDevice", headersPerDevice)).put("maxDevicesPerHub", devicesPerHub));
  }

  private static String device(int i) {
    return String.format("00-1B-C5-0D-00-01-%02X-%02X", i >> 8 & 0xFF, i & 0xFF);
  }

  private static List<String> forwardedIds(HubState.Outcome o) {
    return o.raised().stream().filter(e -> e instanceof ForwardedAlert).map(HubEvent::eventId).toList();
  }

  @Test
  void aHeaderResentAfterItLeftTheDuplicateMemoryIsForwardedAsAnotherEvent() {
    AlertPolicy policy = policy(4, 100);
    HubState hub = new HubState();
    List<String> ids = new ArrayList<>();
    long op = 0;
    for (long counter : new long[] {1000, 1001, 1002, 1003, 1004, 1005, 1000}) { // 1000 again, after 5 others
      ids.addAll(forwardedIds(hub.apply(HUB, ++op, List.of(alert(HUB, GPF, "8F3E", counter, T0 + op)), T0 + op, policy,
          RegionalGate.NEVER)));
    }
    assertEquals(7, ids.size(), "every alert forwarded: " + ids);
    assertEquals(7, new HashSet<>(ids).size(), "no eventId twice: " + ids);
  }

  @Test
  void theSameHeaderFromADevicePastTheHubsBoundIsAnEventEachTimeInOneBatchOrInTwo() {
    AlertPolicy policy = policy(32, 2);
    HubState hub = new HubState();
    List<Alert> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) batch.add(alert(HUB, device(i), "8F3E", 7, T0));
    batch.add(alert(HUB, device(3), "8F3E", 7, T0)); // untracked: no duplicate check, forwarded again
    List<String> ids = new ArrayList<>(forwardedIds(hub.apply(HUB, 1, batch, T0, policy, RegionalGate.NEVER)));
    ids.addAll(forwardedIds(hub.apply(HUB, 2, List.of(batch.get(3)), T0, policy, RegionalGate.NEVER)));
    assertEquals(6, ids.size(), "every alert forwarded: " + ids);
    assertEquals(6, new HashSet<>(ids).size(), "no eventId twice: " + ids);
  }

  @Test
  void theSameDeviceAndHeaderThroughTwoHubsAreTwoEventsAndARetriedOperationRaisesNoNewOne() {
    AlertPolicy policy = policy(32, 100);
    HubState one = new HubState();
    HubState two = new HubState();
    Set<String> ids = new HashSet<>();
    ids.addAll(forwardedIds(one.apply(HUB, 5, List.of(alert(HUB, GPF, "8F3E", 7, T0)), T0, policy, RegionalGate.NEVER)));
    ids.addAll(forwardedIds(two.apply(OTHER_HUB, 6, List.of(alert(OTHER_HUB, GPF, "8F3E", 7, T0)), T0, policy,
        RegionalGate.NEVER)));
    assertEquals(2, ids.size(), "two hubs took it: " + ids);
    HubState.Outcome retried = one.apply(HUB, 5, List.of(alert(HUB, GPF, "8F3E", 7, T0)), T0, policy, RegionalGate.NEVER);
    assertEquals(List.of(), retried.raised(), "the same operation again (a retry after a failover) raises nothing new");
  }
}
