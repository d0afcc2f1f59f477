package org.csp.edge.consolidation;

import static org.csp.edge.consolidation.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.ClusterConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code NODE_HUB_BACKUPS=2} (the chart's {@code hubBackups}) the cluster-config keeps two synchronous backups
 * of every hub: two members killed at once, on a real four-member cluster, lose no hub's state. With one backup
 * about a sixth of the hubs would be lost here (their owner and their backup both among the two).
 */
class TwoBackupsClusterTest {
  private static final AlertPolicy POLICY = AlertPolicy.fromJson(new JsonObject());
  private static final long NOW = 1_700_000_000_000L;
  private static final int HUBS = 60;
  private static final List<HazelcastInstance> members = new ArrayList<>();

  @BeforeAll
  static void cluster() throws Exception {
    System.setProperty("NODE_CLUSTER_NAME", "csp-two-backups-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    List<Config> configs = new ArrayList<>();
    List<OwnedHubs> registries = new ArrayList<>();
    // Read by cluster-config/local.xml's ${NODE_HUB_BACKUPS:1} (the environment, else a system property): set only
    // while the configurations are read, so that no other test's cluster gets it.
    System.setProperty("NODE_HUB_BACKUPS", "2");
    try {
      for (int i = 0; i < 4; i++) {
        OwnedHubs owned = new OwnedHubs();
        registries.add(owned);
        Config config = ClusterConfigs.clusterManager("cluster-config/local.xml",
            Map.of(OwnedHubs.USER_CONTEXT_KEY, owned)).getConfig();
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        configs.add(config);
      }
    } finally {
      System.clearProperty("NODE_HUB_BACKUPS");
    }
    assertEquals(2, configs.get(0).getMapConfig(HubStateStore.MAP_NAME).getBackupCount(), "two backups configured");
    for (int i = 0; i < configs.size(); i++) {
      HazelcastInstance m = Hazelcast.newHazelcastInstance(configs.get(i));
      registries.get(i).joined(m);
      members.add(m);
    }
    awaitCluster(members.get(0), 4);
    assertTrue(members.get(0).getPartitionService().isClusterSafe(), "every partition has its backups");
  }

  @AfterAll
  static void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  void twoMembersKilledAtOnceLoseNoHub() throws Exception {
    HazelcastInstance survivor = members.get(0);
    IMap<String, HubState> hubs = survivor.getMap(HubStateStore.MAP_NAME);
    Map<String, List<Alert>> sent = new LinkedHashMap<>();
    for (int h = 0; h < HUBS; h++) {
      String hub = String.format("00-1B-C5-0C-00-00-%02X-00", h);
      sent.put(hub, List.of(alert(hub, hub.substring(0, hub.length() - 2) + "01", "8F12", 1, NOW)));
      byte[] verdicts = hubs.submitToKey(hub, new ApplyAlerts(1_000 + h, sent.get(hub), NOW, POLICY))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(Verdict.FORWARD, Verdict.of(verdicts[0]), hub + ": a first alert is forwarded");
    }

    // Killed, not stopped: no migration, only what the backups already hold survives.
    members.get(1).getLifecycleService().terminate();
    members.get(2).getLifecycleService().terminate();
    members.remove(2);
    members.remove(1);
    awaitCluster(survivor, 2);

    int remembered = 0;
    for (Map.Entry<String, List<Alert>> e : sent.entrySet()) {
      HubState state = hubs.get(e.getKey());
      assertNotNull(state, e.getKey() + ": its state survived the two members");
      // Sent again under a new operation: a hub that kept its state recognises the header as a duplicate.
      byte[] again = hubs.submitToKey(e.getKey(), new ApplyAlerts(9_000 + remembered, e.getValue(), NOW, POLICY))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(Verdict.DUPLICATE, Verdict.of(again[0]), e.getKey() + ": the hub remembered the alert's header");
      remembered++;
    }
    assertEquals(HUBS, remembered);
  }

  private static void awaitCluster(HazelcastInstance m, int size) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while ((m.getCluster().getMembers().size() != size || size == 4 && !m.getPartitionService().isClusterSafe())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(size, m.getCluster().getMembers().size(), size + " members");
  }
}
