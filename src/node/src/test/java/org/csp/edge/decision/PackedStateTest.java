package org.csp.edge.decision;

import static org.csp.edge.decision.TestAlerts.ESME;
import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.cluster.state.LocalSerialization;
import org.csp.edge.cluster.state.StateText;
import org.csp.edge.config.PolicyJson;
import org.junit.jupiter.api.Test;

/**
 * The forms a hub's state takes outside an operation (src/docs/design.md, "Where state lives"): packed into bytes between
 * operations, and written by its Compact serializer when Hazelcast copies a hub to another member (migration,
 * backup replication; the map is OBJECT). Every field must come back as it was, or a decision after the copy would differ.
 */
class PackedStateTest {
  /** Storm at 5 alerts within 10 s; released by fewer than 2 in a 30 s quiet window; summary every 20 s. */
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("releaseThreshold", 2)
          .put("quietPeriod", "30s").put("summaryPeriod", "20s"))
      .put("duplicates", new JsonObject().put("retention", "60s").put("perDevice", 8)));
  private static final String THIRD = "00-1B-C5-0C-00-00-00-04";
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void packingKeepsEveryFieldOfCodesDevicesAndRememberedOperations() throws Exception {
    for (int operations : new int[] {0, 1, 5, 10}) {
      HubTracking t = tracked(operations);
      byte[] packed = t.pack();
      HubTracking back = HubTracking.unpack(packed);
      assertEquals(StateText.fields(t), StateText.fields(back), "every field after a round trip (" + operations + " operations)");
      assertArrayEquals(packed, back.pack());
      assertEquals(t.lastAlertAt, HubTracking.lastAlertAt(packed));
    }
  }

  @Test
  void aHubWithOneCodeOneDeviceAndOneOperationPacksIntoFortyEightBytes() {
    HubTracking t = new HubTracking();
    CodeStorm code = t.stormOf("8014", AlertPolicy.DEFAULTS);
    code.record(T0, 60_000);
    t.headersOf(GPF, AlertPolicy.DEFAULTS).seenBefore(1000, T0, 86_400_000);
    t.remember(0x5DEECE66DL << 20, new byte[] {(byte) Verdict.FORWARD.ordinal()});
    t.lastAlertAt = T0;
    // A byte array of 48 bytes or fewer is 64 bytes on the heap (src/bench/results/2026-11-23-memory.md).
    assertTrue(t.pack().length <= 48, "packed into " + t.pack().length + " bytes");
  }

  @Test
  void aStormingHubWithWaitingEventsAndSharesSurvivesItsClusterFormAndDecidesTheSameAfter() throws Exception {
    HubState hub = new HubState();
    long op = 0;
    long counter = 0;
    long now = T0;
    int[] asked = {0};
    RegionalGate everyThird = (code, h, at, p) -> code.equals("0001") && asked[0]++ % 3 == 0;
    // Two codes, three devices (one without DMC), a batch too large to pack its verdicts, shares open and sealed.
    for (int i = 0; i < 12; i++, now += 200) {
      List<Alert> batch = new ArrayList<>();
      batch.add(alert(HUB, i % 2 == 0 ? GPF : ESME, "8F3E", ++counter, now));
      batch.add(new Alert(HUB, THIRD, "PPMID", "0001", ++counter, java.time.Instant.ofEpochMilli(now).toString(), now,
          i % 2 == 0 ? null : new Dmc("Other", "PPMID-1", "0.9"), null));
      if (i == 4) for (int k = 0; k < 30; k++) batch.add(alert(HUB, GPF, "8F3E", ++counter, now));
      hub.apply(HUB, ++op, batch, now, POLICY, everyThird);
    }
    hub.apply(HUB, ++op, List.of(alert(HUB, GPF, "8F3E", 3, now)), now, POLICY, everyThird); // a duplicate
    assertNotNull(hub.seal("0001", "group-1", "member-a"));
    hub.apply(HUB, ++op, List.of(new Alert(HUB, THIRD, "PPMID", "0002", ++counter, "x", now, null, null)), now, POLICY,
        (c, h, a, p) -> true); // a code not in storm: grouped, an open share
    assertTrue(hub.nextDueAt(POLICY) != Long.MAX_VALUE, "in storm");
    assertFalse(hub.waiting().isEmpty(), "events waiting for the broker");
    HubAttention attention = hub.attention(POLICY);
    assertFalse(attention.openShares().isEmpty());
    assertFalse(attention.sealedInto().isEmpty());

    byte[] bytes = LocalSerialization.fresh().withSchema(hub);
    HubState copy = LocalSerialization.fresh().read(bytes);
    assertStable(copy);
    HubState asItWas = LocalSerialization.fresh().read(bytes);
    assertSameFrom(hub, copy, now, op, counter);
    hub = asItWas;

    // Released, delivered and sealed shares settled: the hub is packed again, and copies as well.
    long later = now + 120_000;
    hub.settle(HUB, later, POLICY, false);
    hub.delivered(hub.waiting().stream().map(HubEvent::eventId).collect(Collectors.toSet()));
    hub.releaseSeal("group-1");
    assertEquals(Long.MAX_VALUE, hub.nextDueAt(POLICY), "storm over");
    copy = LocalSerialization.copied(hub);
    assertEquals(StateText.fields(hub), StateText.fields(copy), "packed, nothing held: every field");
    assertSameFrom(hub, copy, later, op, counter);
  }

  /**
   * A copy copies to the same fields: every field survives (the first copy may differ from the original only in
   * room it had kept for verdicts of operations since forgotten, which a copy does not keep).
   */
  private static void assertStable(HubState copy) {
    assertEquals(StateText.fields(copy), StateText.fields(LocalSerialization.copied(copy)), "every field after a round trip");
  }

  /** The same operations on the original and on its copy answer and raise the same. */
  private static void assertSameFrom(HubState a, HubState b, long now, long op, long counter) {
    assertEquals(a.waiting(), b.waiting());
    assertEquals(a.lastAlertAt(), b.lastAlertAt());
    assertEquals(a.nextDueAt(POLICY), b.nextDueAt(POLICY));
    HubAttention x = a.attention(POLICY), y = b.attention(POLICY);
    if (x == null || y == null) {
      assertEquals(x, y);
    } else {
      assertEquals(List.of(x.settleAt(), x.eventsWaiting(), x.openShares(), x.sealedInto()),
          List.of(y.settleAt(), y.eventsWaiting(), y.openShares(), y.sealedInto()));
    }
    for (long earlier = op; earlier > op - 9; earlier--) {
      // Remembered (or forgotten) alike, whatever the batch.
      List<Alert> again = List.of(alert(HUB, GPF, "8F3E", 1, now));
      assertArrayEquals(a.apply(HUB, earlier, again, now, POLICY, RegionalGate.NEVER).verdicts(),
          b.apply(HUB, earlier, again, now, POLICY, RegionalGate.NEVER).verdicts(), "operation " + earlier);
    }
    for (int i = 0; i < 8; i++) {
      now += 1500;
      List<Alert> next = List.of(alert(HUB, i % 2 == 0 ? GPF : ESME, "8F3E", i < 4 ? counter - i : ++counter, now),
          alert(HUB, THIRD, "0001", ++counter, now));
      HubState.Outcome oa = a.apply(HUB, 1000 + i, next, now, POLICY, RegionalGate.NEVER);
      HubState.Outcome ob = b.apply(HUB, 1000 + i, next, now, POLICY, RegionalGate.NEVER);
      assertArrayEquals(oa.verdicts(), ob.verdicts());
      assertEquals(oa.raised(), ob.raised());
    }
    for (long at = now; at < now + 200_000; at += 10_000) {
      assertEquals(a.settle(HUB, at, POLICY, false), b.settle(HUB, at, POLICY, false));
    }
    assertEquals(a.settle(HUB, now + 200_000, POLICY, true), b.settle(HUB, now + 200_000, POLICY, true));
    assertEquals(a.seal("0001", "group-2", "m"), b.seal("0001", "group-2", "m"));
    assertEquals(a.unseal("group-1"), b.unseal("group-1"));
    assertEquals(a.waiting(), b.waiting());
    assertEquals(Set.copyOf(a.attention(POLICY) == null ? Set.of() : a.attention(POLICY).openShares().values()),
        Set.copyOf(b.attention(POLICY) == null ? Set.of() : b.attention(POLICY).openShares().values()));
  }

  /**
   * A hub's tracking with every part in use: a code that stormed and ended (a count since the last forwarded alert,
   * both rate buckets), a second code, a device whose ring wrapped, one still growing, one with a single counter,
   * and {@code operations} remembered operations (the third too large to pack its verdicts).
   */
  private static HubTracking tracked(int operations) {
    HubTracking t = new HubTracking();
    CodePolicy policy = POLICY.forCode("8F3E");
    List<StormEvent> out = new ArrayList<>();
    CodeStorm stormed = t.stormOf("8F3E", POLICY);
    for (int i = 0; i < 8; i++) stormed.apply(alert(HUB, GPF, "8F3E", i, T0 + 100L * i), T0 + 100L * i, HUB, policy, policy, POLICY.maxDevicesPerSummary(), true, () -> false, out);
    assertTrue(stormed.inStorm());
    stormed.settle(T0 + 120_000, HUB, policy, POLICY.maxDevicesPerSummary(), false, out);
    assertFalse(stormed.inStorm());
    CodeStorm other = t.stormOf("0001", POLICY);
    other.record(T0 + 95_000, 10_000);
    other.record(T0 + 95_000, 10_000);
    other.record(T0 + 101_000, 10_000);
    long retention = POLICY.duplicateRetention().toMillis();
    DeviceHeaders wrapped = t.headersOf(GPF, POLICY);
    for (long c = 1; c <= 13; c++) wrapped.seenBefore(c * 1_000_000_007L, T0 + c * 50, retention);
    DeviceHeaders growing = t.headersOf(ESME, POLICY);
    for (long c = -2; c <= 0; c++) growing.seenBefore(c, T0 - 500, retention);
    t.headersOf(THIRD, POLICY).seenBefore(Long.MAX_VALUE, T0 + 101_000, retention);
    for (int op = 1; op <= operations; op++) {
      byte[] verdicts = new byte[op == 3 ? 40 : op % 6];
      for (int i = 0; i < verdicts.length; i++) verdicts[i] = (byte) ((op + i) % Verdict.values().length);
      t.remember(op * 0x9E3779B97F4A7C15L, verdicts);
    }
    t.lastAlertAt = T0 + 101_000;
    return t;
  }
}
