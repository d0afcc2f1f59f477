package org.csp.edge.cluster;

import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.HubVerdicts;
import org.csp.edge.decision.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code NODE_HUB_BACKUPS=2} (the chart's {@code hubBackups}) the cluster-config keeps two synchronous backups
 * of every hub: two members killed at once, on a real four-member cluster, lose no hub's state. With one backup
 * about a sixth of the hubs would be lost here (their owner and their backup both among the two). The node's
 * count of backup copies follows: two per hub operation while there are members for both, one when only two
 * members are left.
 */
class TwoBackupsClusterTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject());
  private static final long NOW = 1_700_000_000_000L;
  private static final int HUBS = 60;
  private static BareCluster cluster;
  private static List<HazelcastInstance> members;
  private static Vertx vertx;

  @BeforeAll
  static void cluster() throws Exception {
    // cluster-config/local.xml's ${NODE_HUB_BACKUPS:1}, as the chart's hubBackups sets it.
    cluster = BareCluster.start("csp-two-backups", 4, Map.of("NODE_HUB_BACKUPS", "2"), Map.of());
    members = cluster.members();
    vertx = Vertx.vertx();
    assertEquals(2, members.get(0).getConfig().getMapConfig(HubStateStore.MAP_NAME).getBackupCount(),
        "two backups configured");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (vertx != null) vertx.close();
  }

  @Test
  void twoMembersKilledAtOnceLoseNoHub() throws Exception {
    HazelcastInstance survivor = members.get(0);
    IMap<String, HubState> hubs = survivor.getMap(HubStateStore.MAP_NAME);
    Map<String, List<Alert>> sent = new LinkedHashMap<>();
    for (int h = 0; h < HUBS; h++) {
      String hub = String.format("00-1B-C5-0C-00-00-%02X-00", h);
      sent.put(hub, List.of(alert(hub, hub.substring(0, hub.length() - 2) + "01", "8F12", 1, NOW)));
      byte[] verdicts = hubs.submitToKey(hub, new DecideAlertsOperation(1_000 + h, sent.get(hub), NOW, POLICY))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(Verdict.FORWARD, Verdict.of(verdicts[0]), hub + ": a first alert is forwarded");
    }

    HubStateStore store = new HubStateStore(survivor);
    assertEquals(8, backupCopiesOf(store, "A", 4), "two backup copies per hub operation with four members");

    // Killed, not stopped: no migration, only what the backups already hold survives.
    members.get(1).getLifecycleService().terminate();
    members.get(2).getLifecycleService().terminate();
    members.remove(2);
    members.remove(1);
    BareCluster.awaitMembers(survivor, 2);

    int remembered = 0;
    for (Map.Entry<String, List<Alert>> e : sent.entrySet()) {
      HubState state = hubs.get(e.getKey());
      assertNotNull(state, e.getKey() + ": its state survived the two members");
      // Sent again under a new operation: a hub that kept its state recognises the header as a duplicate.
      byte[] again = hubs.submitToKey(e.getKey(), new DecideAlertsOperation(9_000 + remembered, e.getValue(), NOW, POLICY))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(Verdict.DUPLICATE, Verdict.of(again[0]), e.getKey() + ": the hub remembered the alert's header");
      remembered++;
    }
    assertEquals(HUBS, remembered);
    assertEquals(4, backupCopiesOf(store, "B", 4), "two members left: one backup copy per hub operation");
  }

  /** The store's backup copies counted for one message with an alert for each of {@code hubs} new hubs. */
  private static long backupCopiesOf(HubStateStore store, String tag, int hubs) throws Exception {
    Map<String, List<Alert>> message = new LinkedHashMap<>();
    for (int h = 0; h < hubs; h++) {
      String hub = String.format("00-1B-C5-0C-%s0-00-%02X-00", tag, h);
      message.put(hub, List.of(alert(hub, hub.substring(0, hub.length() - 2) + "01", "8F12", 1, NOW)));
    }
    long before = store.invocations().backupCopies();
    long operationsBefore = store.invocations().hubOperations();
    Map<String, Future<HubVerdicts>> decided = store.apply(message, NOW, POLICY, vertx.getOrCreateContext());
    Future.all(List.copyOf(decided.values())).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(hubs, store.invocations().hubOperations() - operationsBefore, "one operation per hub");
    return store.invocations().backupCopies() - before;
  }
}
