package org.csp.edge.cluster;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Eui64;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.Verdict;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.EventSink;
import org.csp.edge.upstream.UpstreamEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hubs with EUI-64 ids keep their open shares in the registry's tables by code, not in entries of their own: the
 * backup's registry has them too, so that when the owner dies the promoted member seals every one of them into a
 * group (and releases it after the broker's acknowledgement), on a real two-member cluster.
 */
class PromotedGroupingTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject());
  private static final String CODE = "8F12";
  private static final long NOW = 1_700_000_000_000L;
  private static final int HUBS = 300;

  private static BareCluster cluster;
  private static Vertx vertx;

  @BeforeAll
  static void cluster() throws Exception {
    cluster = BareCluster.start("csp-promoted-grouping", 2, Map.of(), Map.of());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (vertx != null) vertx.close();
  }

  @Test
  void aPromotedMemberSealsAndReleasesTheSharesItsOldOwnerHeld() throws Exception {
    HazelcastInstance owner = cluster.members().get(0);
    HazelcastInstance survivor = cluster.members().get(1);
    OwnedHubs onSurvivor = cluster.registry(1);
    List<String> hubs = new ArrayList<>();
    IMap<String, HubState> map = owner.getMap(HubStateStore.MAP_NAME);
    RegionalGate bursting = (code, hub, at, p) -> true;
    for (long i = 0; hubs.size() < HUBS; i++) {
      String hub = Eui64.text(0x001BC50C00100000L + i);
      if (!owner.getPartitionService().getPartition(hub).getOwner().localMember()) continue;
      HubState state = new HubState();
      byte[] verdicts = state.apply(hub, 1, List.of(alert(hub, GPF, CODE, 1, NOW)), NOW, POLICY, bursting).verdicts();
      assertEquals(Verdict.GROUPED, Verdict.of(verdicts[0]));
      map.set(hub, state);
      // A real operation on owner and backup notes the hub's open share in both registries (an alert of another
      // code, no burst on it: forwarded).
      map.submitToKey(hub, new DecideAlertsOperation(2, List.of(alert(hub, GPF, "8F13", 2, NOW + 1)), NOW + 1, POLICY))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      hubs.add(hub);
    }
    assertEquals(HUBS, onSurvivor.grouping().size(CODE), "the backup's registry has every open share");
    hubs.forEach(hub -> assertTrue(onSurvivor.attention().get(hub).openShares().isEmpty(),
        hub + ": its entry (the forwarded alert waits for its receipt) leaves the share to the tables"));
    assertEquals(0, onSurvivor.counts().grouping(), "not the backup's to seal while the owner lives");

    owner.getLifecycleService().terminate();
    cluster.members().remove(owner);
    BareCluster.awaitMembers(survivor, 1);
    long deadline = System.currentTimeMillis() + 30_000;
    while (onSurvivor.counts().grouping() < HUBS && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertEquals(HUBS, onSurvivor.counts().grouping(), "promoted: every hub's share is this member's to seal");
    assertEquals(HUBS, onSurvivor.counts().heldInGroups());

    List<UpstreamEvent> published = new CopyOnWriteArrayList<>();
    List<Runnable> acknowledgements = new CopyOnWriteArrayList<>();
    EventSink sink = new EventSink() {
      @Override
      public void hubEvent(HubEvent event) {}

      @Override
      public void regionalNotice(RegionalEvent notice) {}

      @Override
      public void group(UpstreamEvent recorded, Runnable afterDelivery) {
        published.add(recorded);
        acknowledgements.add(afterDelivery);
      }
    };
    RegionalGroups groups = new RegionalGroups(new HubStateStore(survivor), survivor.getMap(SealedGroup.MAP_NAME), onSurvivor,
        new EventFactory("north", "n1", "dsp/north/", System::currentTimeMillis), sink);
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Void> sealed = new CompletableFuture<>();
    context.runOnContext(v -> groups.closeDue(NOW + 60_000, POLICY, false, context)
        .onComplete(ar -> sealed.complete(null)));
    sealed.get(30, TimeUnit.SECONDS);

    assertFalse(published.isEmpty(), "the wait is over: grouped");
    assertEquals(HUBS, published.stream().mapToInt(UpstreamEvent::count).sum(), "every share sealed, once");
    assertEquals(0, onSurvivor.grouping().size(CODE), "no share left open");
    assertEquals(HUBS, onSurvivor.counts().sealed(), "each hub sealed into its group until the broker acknowledges");

    acknowledgements.forEach(Runnable::run);
    deadline = System.currentTimeMillis() + 30_000;
    while (onSurvivor.counts().sealed() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertEquals(0, onSurvivor.counts().sealed(), "released: " + onSurvivor.counts());
    assertEquals(0, onSurvivor.counts().grouping());
    IMap<String, HubState> promoted = survivor.getMap(HubStateStore.MAP_NAME);
    hubs.forEach(hub -> assertTrue(promoted.get(hub).attention(POLICY) == null
        || promoted.get(hub).attention(POLICY).sealedInto().isEmpty(), hub + ": released"));
  }
}
