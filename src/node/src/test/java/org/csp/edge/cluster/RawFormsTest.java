package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.ForwardedAlert;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HeldPeriodParts;
import org.csp.edge.decision.HoldReason;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.InhibitionSource;
import org.csp.edge.decision.OpenStormParts;
import org.csp.edge.decision.Silence;
import org.csp.edge.decision.StormEvent;
import org.csp.edge.decision.TestAlerts;
import org.csp.edge.durability.Journal;
import org.junit.jupiter.api.Test;

/**
 * The journal's raw forms read back to exactly what was written, every field, at the edges: null and absent fields,
 * empty lists, long and non-ASCII strings; a hub read back is the hub its Compact form gives.
 */
class RawFormsTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("summaryPeriod", "2s")));
  private static final long NOW = 1_700_000_000_000L;
  private static final String HUB = "00-1B-C5-0C-00-00-10-01";
  private static final String LONG = "x".repeat(70_000);
  private static final String NON_ASCII = "Zähler ✓ 電力 \uD83D\uDD0C";

  /** The cluster's Compact form: the hub the journal restores must be this one, byte for byte. */
  private final HubJournal compact = new HubJournal(Journal.off(), 2);

  private static Alert alert(String device, Dmc dmc, String payload, long counter) {
    return new Alert(HUB, device, "GPF", "8F3E", counter, "2023-11-14T22:13:20.123Z", NOW, dmc, payload);
  }

  private static List<Alert> edgeAlerts() {
    return List.of(
        alert("00-1B-C5-0C-00-01-00-01", TestAlerts.FAULTY, "{\"v\":1}", 1),
        alert("00-1B-C5-0C-00-01-00-02", null, null, -1), // no DMC, no payload, counter 2^64-1
        alert("00-1B-C5-0C-00-01-00-03", new Dmc(null, "", NON_ASCII), LONG, Long.MIN_VALUE),
        new Alert(HUB, "", null, NON_ASCII, 0, "", Long.MAX_VALUE, new Dmc("", "", ""), ""));
  }

  /** A hub that storms, with events of every kind waiting and shares open and sealed. */
  private HubState stormingHub() {
    Map.Entry<String, HubState> entry = new AbstractMap.SimpleEntry<>(HUB, null);
    long op = 0;
    for (int round = 0; round < 4; round++) {
      List<Alert> alerts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        alerts.add(TestAlerts.alert(HUB, String.format("00-1B-C5-0C-00-01-00-%02X", round * 4 + i), "8F3E",
            round + 1, NOW + round * 100L));
      }
      new DecideAlertsOperation(++op, alerts, NOW + round * 100L, POLICY).process(entry);
    }
    HubState.Parts p = entry.getValue().parts();
    assertTrue(!p.storms().isEmpty() && p.storms().get(0).devices() != null, "the hub storms, its devices counted");
    Map<String, StormEvent.DeviceCount> devices = new HashMap<>();
    devices.put("00-1B-C5-0C-00-01-00-01", new StormEvent.DeviceCount(3, "GPF", TestAlerts.FAULTY));
    devices.put(NON_ASCII, new StormEvent.DeviceCount(Integer.MAX_VALUE, null, null));
    List<HubEvent> waiting = new ArrayList<>(p.waiting());
    waiting.add(new StormEvent.Started(HUB, "8F3E", NOW, 12.5, 10, 60_000));
    waiting.add(new StormEvent.Started(HUB, NON_ASCII, -1, Double.NaN, 0, 0));
    waiting.add(new StormEvent.Summary(HUB, "8F3E", NOW, 3, NOW, NOW + 2000, "a", "b", devices, 4, 5, 6,
        HoldReason.STORM, 42, false));
    waiting.add(new StormEvent.Summary(HUB, "8F3E", NOW, 0, 0, 0, null, null, null, 0, 0, 0, HoldReason.SILENCED, 0,
        true, "silence-" + NON_ASCII, null));
    waiting.add(new StormEvent.Summary(HUB, "8F3E", NOW, 0, 0, 0, null, null, Map.of(), 0, 0, 0,
        HoldReason.INHIBITED, 0, true, "rule", "8F40"));
    waiting.add(new StormEvent.Ended(HUB, "8F3E", NOW, NOW + 5000, Long.MAX_VALUE, 7));
    for (Alert a : edgeAlerts()) waiting.add(new ForwardedAlert(a, 9, NOW, 1L, waiting.size()));
    Map<String, GroupShare> open = Map.of("8014", new GroupShare("8014", 3, NOW - 500, NOW),
        NON_ASCII, new GroupShare(NON_ASCII, 1, 0, 0));
    List<GroupShare.Sealed> sealed = List.of(new GroupShare.Sealed("g-2", "member-" + NON_ASCII,
        new GroupShare("8015", 2, 1, 2)), new GroupShare.Sealed("g-1", "m", new GroupShare("8014", 1, 0, 0)));
    return HubState.of(new HubState.Parts(p.tracking(), p.storms(), waiting, open, sealed, Long.MAX_VALUE));
  }

  private void assertSameHub(HubState expected, HubState actual) {
    HubState.Parts e = expected.parts();
    HubState.Parts a = actual.parts();
    assertArrayEquals(e.tracking(), a.tracking());
    assertEquals(e.storms(), a.storms());
    assertEquals(e.waiting(), a.waiting());
    assertEquals(e.openShares(), a.openShares());
    assertEquals(new HashMap<>(sealedById(e)), sealedById(a));
    assertEquals(e.version(), a.version());
    assertEquals(expected.storming(), actual.storming());
    assertArrayEquals(compact.image(expected), compact.image(actual), "the hub the Compact form gives, byte for byte");
  }

  private static Map<String, GroupShare.Sealed> sealedById(HubState.Parts p) {
    Map<String, GroupShare.Sealed> m = new HashMap<>();
    p.sealed().forEach(s -> m.put(s.groupId(), s));
    return m;
  }

  @Test
  void aStormingHubWithEveryKindOfEventWaitingReadsBackExactly() {
    HubState hub = stormingHub();
    assertTrue(hub.storming());
    byte[] raw = RawHubImage.of(hub);
    assertSameHub(hub, RawHubImage.read(raw));
    assertTrue(raw.length < compact.image(hub).length, "smaller than the Compact form: " + raw.length);
    // Its storm between a summary and the period's first alert (no devices), its strings at their edges.
    HubState.Parts p = hub.parts();
    OpenStormParts s = p.storms().get(0);
    OpenStormParts between = new OpenStormParts(s.alertCode(), s.startedAt(), s.total(), s.summariesSent(),
        s.periodStart(), s.periodCount(), NON_ASCII, s.firstRaisedMillis(), LONG, s.lastRaisedMillis(), null,
        s.untracked(), s.quietWindowStart(), s.quietWindowCount());
    HubState quiet = HubState.of(new HubState.Parts(p.tracking(), List.of(between), List.of(), Map.of(), List.of(), 1));
    assertEquals(List.of(between), quiet.parts().storms());
    assertSameHub(quiet, RawHubImage.read(RawHubImage.of(quiet)));
  }

  @Test
  void aPackedHubWithForwardedAlertsWaitingAndSharesReadsBackExactly() {
    HubState storming = stormingHub();
    byte[] tracking = new byte[] {1, 2, 3, 0, -1, 127, -128};
    List<HubEvent> forwarded = new ArrayList<>();
    for (Alert a : edgeAlerts()) forwarded.add(new ForwardedAlert(a, 0, Long.MIN_VALUE, -1L, forwarded.size()));
    HubState waiting = HubState.of(new HubState.Parts(tracking, List.of(), forwarded, Map.of(), List.of(), 0));
    // One open share and an alert waiting: the share is folded into the bytes, the hub not packed alone.
    HubState foldedAndWaiting = HubState.of(new HubState.Parts(tracking, List.of(), forwarded.subList(0, 1),
        Map.of("8014", new GroupShare("8014", 1, 5, 6)), List.of(), 3));
    HubState sealedOnly = HubState.of(new HubState.Parts(tracking, List.of(), List.of(), Map.of(),
        storming.parts().sealed(), 4));
    HubState nothing = HubState.of(new HubState.Parts(null, List.of(), List.of(), Map.of(), List.of(), 0));
    for (HubState hub : List.of(waiting, foldedAndWaiting, sealedOnly, nothing)) {
      assertSameHub(hub, RawHubImage.read(RawHubImage.of(hub)));
    }
  }

  @Test
  void aMutedHubReadsBackExactly() {
    Silence silence = new Silence("s-1", "8F3E", null, null, null, null, null, NOW - 1000, NOW + 600_000);
    Map.Entry<String, HubState> entry = new AbstractMap.SimpleEntry<>(HUB, null);
    new DecideAlertsOperation(1, List.of(TestAlerts.alert(HUB, "00-1B-C5-0C-00-01-00-01", "8F3E", 1, NOW)), NOW,
        POLICY, List.of(silence)).process(entry);
    HubState.Parts p = entry.getValue().parts();
    assertTrue(!p.held().isEmpty(), "a held period open");
    HeldPeriodParts h = p.held().get(0);
    List<HeldPeriodParts> held = List.of(h, new HeldPeriodParts("8F40", HoldReason.INHIBITED, "rule-" + NON_ASCII,
        "8F3E", h.periodStart(), h.periodEnd(), 0, null, 0, LONG, -1, new HashMap<>(), Integer.MAX_VALUE));
    List<InhibitionSource> inhibitions = List.of(new InhibitionSource("rule", "00-1B-C5-0C-00-01-00-01", "8F3E", NOW),
        new InhibitionSource(NON_ASCII, null, null, Long.MIN_VALUE));
    HubState muted = HubState.of(new HubState.Parts(p.tracking(), p.storms(), p.waiting(), p.openShares(), p.sealed(),
        p.version(), held, inhibitions));
    assertEquals(held.size(), muted.parts().held().size(), "both held periods kept");
    assertEquals(inhibitions.size(), muted.parts().inhibitions().size());
    HubState back = RawHubImage.read(RawHubImage.of(muted));
    assertSameHub(muted, back);
    assertEquals(muted.parts().held(), back.parts().held());
    assertEquals(muted.parts().inhibitions(), back.parts().inhibitions());
  }

  @Test
  void aDecisionReadsBackExactly() {
    List<Silence> silences = List.of(
        new Silence("s-1", "8F3E", HUB, "00-1B-C5-*", "Acme", "GPF-2", "1.0.3", Long.MIN_VALUE, Long.MAX_VALUE),
        new Silence(NON_ASCII, null, null, null, null, null, null, 0, 0));
    for (long[] answers : Arrays.asList(null, new long[0], new long[] {1, -1, Long.MIN_VALUE, Long.MAX_VALUE})) {
      for (List<Silence> s : List.of(List.<Silence>of(), silences)) {
        for (List<Alert> alerts : List.of(List.<Alert>of(), edgeAlerts())) {
          JournalForms.Decision d = new JournalForms.Decision(-7, alerts, NOW, "policy-" + NON_ASCII, s, answers);
          JournalForms.Decision back = RawDecision.read(RawDecision.of(d));
          assertEquals(d.operationId(), back.operationId());
          assertEquals(d.alerts(), back.alerts());
          assertEquals(d.now(), back.now());
          assertEquals(d.policy(), back.policy());
          assertEquals(d.silences(), back.silences());
          assertArrayEquals(d.ownersAnswers(), back.ownersAnswers());
        }
      }
    }
    JournalForms.Decision noPolicy = new JournalForms.Decision(0, List.of(), 0, null, List.of(), null);
    assertNull(RawDecision.read(RawDecision.of(noPolicy)).policy());
  }

  @Test
  void aRecordCutShortOrOfAnotherFormIsRefusedNotMisread() {
    byte[] hub = RawHubImage.of(stormingHub());
    byte[] decision = RawDecision.of(new JournalForms.Decision(1, edgeAlerts(), NOW, "p", List.of(), new long[] {1}));
    for (byte[] record : List.of(hub, decision)) {
      byte[] cut = Arrays.copyOf(record, record.length - 1);
      byte[] longer = Arrays.copyOf(record, record.length + 1);
      byte[] otherForm = record.clone();
      otherForm[0] = 2;
      for (byte[] bad : List.of(cut, longer, otherForm)) {
        assertThrows(IllegalStateException.class,
            () -> { if (record == hub) RawHubImage.read(bad); else RawDecision.read(bad); });
      }
    }
  }
}
