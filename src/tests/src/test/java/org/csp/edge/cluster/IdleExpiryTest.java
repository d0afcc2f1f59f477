package org.csp.edge.cluster;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.ClusterConfigs;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle expiry by the hubs' owners (not Hazelcast's max-idle-seconds, src/docs/design.md, "Where state lives"), on a
 * real two-member cluster from cluster-config/local.xml: a hub idle past the period with nothing held is forgotten,
 * on its owner and its backup; a hub that holds anything (events waiting for the broker, an open storm, a group
 * share) or had an alert within the period is kept.
 */
class IdleExpiryTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("releaseThreshold", 2)
          .put("quietPeriod", "30s").put("summaryPeriod", "20s")));
  private static final long T0 = 1_700_000_000_000L;
  private static final List<HazelcastInstance> members = new ArrayList<>();
  private static IMap<String, HubState> hubs;
  private static long operation;

  @BeforeAll
  static void cluster() throws Exception {
    String name = "csp-idle-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    for (int i = 0; i < 2; i++) {
      OwnedHubs owned = new OwnedHubs();
      Config config = ClusterConfigs.memberConfig("cluster-config/local.xml", Map.of(OwnedHubs.USER_CONTEXT_KEY, owned));
      config.setClusterName(name);
      HazelcastInstance m = Hazelcast.newHazelcastInstance(config);
      owned.joined(m);
      members.add(m);
    }
    long deadline = System.currentTimeMillis() + 60_000;
    while (!members.get(0).getPartitionService().isClusterSafe() && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertEquals(2, members.get(0).getCluster().getMembers().size(), "two members joined");
    hubs = members.get(0).getMap(HubStateStore.MAP_NAME);
  }

  @AfterAll
  static void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  void theClusterConfigurationsLeaveIdleExpiryToTheOwnersWithTheConfiguredPeriod(@TempDir Path dir) throws Exception {
    for (String file : List.of("single", "local", "kubernetes")) {
      Config config = ClusterConfigs.memberConfig("cluster-config/" + file + ".xml", Map.of());
      assertEquals(0, config.getMapConfig(HubStateStore.MAP_NAME).getMaxIdleSeconds(), file + ": no Hazelcast expiry metadata");
      assertEquals(Duration.ofHours(25), ClusterConfigs.hubIdle(config), file + ": 25 h by default");
    }
    System.setProperty("NODE_HUB_IDLE_SECONDS", "3600");
    try {
      assertEquals(Duration.ofHours(1), ClusterConfigs.hubIdle(ClusterConfigs.memberConfig("cluster-config/single.xml", Map.of())));
      System.setProperty("NODE_HUB_IDLE_SECONDS", "soon");
      assertThrows(ConfigException.class, () -> ClusterConfigs.memberConfig("cluster-config/single.xml", Map.of()));
    } finally {
      System.clearProperty("NODE_HUB_IDLE_SECONDS");
    }
    // An older configuration with max-idle-seconds on the map: its period is kept, done by the owners.
    Path legacy = dir.resolve("legacy.xml");
    Files.writeString(legacy, Files.readString(Path.of("cluster-config/single.xml"))
        .replaceAll("(?s)<properties>.*?</properties>", "")
        .replace("<in-memory-format>OBJECT</in-memory-format>",
            "<in-memory-format>OBJECT</in-memory-format><max-idle-seconds>7200</max-idle-seconds>"));
    Config config = ClusterConfigs.memberConfig(legacy.toString(), Map.of());
    assertEquals(0, config.getMapConfig(HubStateStore.MAP_NAME).getMaxIdleSeconds());
    assertEquals(Duration.ofHours(2), ClusterConfigs.hubIdle(config));
  }

  @Test
  void aHubIdlePastThePeriodWithNothingHeldIsForgottenOnOwnerAndBackupAndNoHubHoldingAnythingIs() throws Exception {
    String idle = hub(1), waiting = hub(2), recent = hub(3), storming = hub(4);
    apply(idle, T0, 1);
    deliverAll(idle);
    apply(waiting, T0, 1); // its forwarded alert is not acknowledged by the broker
    apply(recent, T0, 1);
    deliverAll(recent);
    apply(recent, T0 + 10_000, 1);
    deliverAll(recent);
    apply(storming, T0, 8); // storm at 5: open
    deliverAll(storming);
    assertTrue(hubs.get(storming).nextDueAt(POLICY) != Long.MAX_VALUE, "in storm");
    assertTrue(hubs.get(idle).waiting().isEmpty());
    assertFalse(hubs.get(waiting).waiting().isEmpty());
    awaitBackups(4);

    HubStateStore store = new HubStateStore(members.get(1));
    store.forgetIdle(T0 + 1);
    assertNull(hubs.get(idle), "idle past the period, nothing held: forgotten");
    assertNotNull(hubs.get(waiting), "an event waits for the broker: kept");
    assertNotNull(hubs.get(recent), "an alert within the period: kept");
    assertNotNull(hubs.get(storming), "an open storm: kept");
    awaitBackups(3);

    store.forgetIdle(T0 + 20_000);
    assertNull(hubs.get(recent));
    assertNotNull(hubs.get(waiting));
    assertNotNull(hubs.get(storming));
    awaitBackups(2);

    // Once acknowledged, the waiting hub goes at the next sweep; a forgotten hub starts afresh at its next alert.
    deliverAll(waiting);
    store.forgetIdle(T0 + 20_000);
    assertNull(hubs.get(waiting));
    assertEquals(List.of(Verdict.FORWARD), apply(idle, T0 + 30_000, 1));
    assertEquals(T0 + 30_000, hubs.get(idle).lastAlertAt());
    awaitBackups(2);
  }

  private static String hub(int n) {
    return String.format("00-1B-C5-0C-00-00-0E-%02X", n);
  }

  private static List<Verdict> apply(String hub, long now, int alerts) throws Exception {
    List<Alert> batch = new ArrayList<>();
    for (int i = 0; i < alerts; i++) batch.add(alert(hub, GPF, "8F3E", now + i, now + i));
    byte[] verdicts = hubs.submitToKey(hub, new DecideAlertsOperation(++operation, batch, now, POLICY)).toCompletableFuture().get();
    List<Verdict> out = new ArrayList<>();
    for (byte v : verdicts) out.add(Verdict.of(v));
    return out;
  }

  private static void deliverAll(String hub) throws Exception {
    Set<String> ids = hubs.get(hub).waiting().stream().map(HubEvent::eventId).collect(Collectors.toSet());
    hubs.submitToKey(hub, new DeliveredEventsOperation(Map.of(hub, ids), POLICY)).toCompletableFuture().get();
  }

  /** Every hub in the map has its backup on the other member, and no more (idle expiry's backups are asynchronous). */
  private static void awaitBackups(long expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    long owned = 0, backups = 0;
    while (System.currentTimeMillis() < deadline) {
      owned = 0;
      backups = 0;
      for (HazelcastInstance m : members) {
        owned += m.getMap(HubStateStore.MAP_NAME).getLocalMapStats().getOwnedEntryCount();
        backups += m.getMap(HubStateStore.MAP_NAME).getLocalMapStats().getBackupEntryCount();
      }
      if (owned == expected && backups == expected) return;
      Thread.sleep(50);
    }
    assertEquals(List.of(expected, expected), List.of(owned, backups), "owned and backup entries");
  }
}
