package org.csp.edge.cluster;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubAttention;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The steps of a regional group (SEAL, RELEASE) are on the hub's backup by the time they complete, on a real
 * two-member cluster. Otherwise an owner dying just after a step would leave the promoted copy one step behind:
 * a share grouped twice, or a seal left behind. To see the order deterministically, the backup member has one
 * partition thread, and the test keeps it busy while the step runs: a step that does not wait for its backup
 * completes while the backup copy is still queued.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GroupStepBackupTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject());
  private static final String CODE = "8F12";
  private static final long NOW = 1_700_000_000_000L;
  /** Well under Hazelcast's backup time-out (5 s), well over a step's own time. */
  private static final long HOLD_MILLIS = 1_500;

  private static BareCluster cluster;
  private static List<HazelcastInstance> members;
  private static Vertx vertx;
  private static Context context;

  @BeforeAll
  static void cluster() throws Exception {
    // One thread runs every partition's operations, so that the test can hold them all on the backup member.
    cluster = BareCluster.start("csp-group-backup", 2, Map.of(), Map.of("hazelcast.operation.thread.count", "1"));
    members = cluster.members();
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (vertx != null) vertx.close();
  }

  @Test
  @Order(1)
  void aSealAndItsReleaseOnAHubOwnedHereAreOnTheBackupWhenTheyComplete() throws Exception {
    HazelcastInstance owner = members.get(0);
    Set<String> hubs = hubsWithOpenShares(owner, "local-", 1);
    HubStateStore store = new HubStateStore(owner);

    Map<String, GroupShare> shares = stepWhileBackupIsBusy(store, ShareStepOperation.Step.SEAL, hubs, "g-local", memberId(owner));
    assertEquals(hubs, shares.keySet(), "the hub's open share was sealed");
    assertSealedOnBackup(hubs, "g-local");

    stepWhileBackupIsBusy(store, ShareStepOperation.Step.RELEASE, hubs, "g-local", memberId(owner));
    assertReleasedOnBackup(hubs);
  }

  @Test
  @Order(2)
  void aSealAndItsReleaseSentToTheHubsOwnerAreOnTheBackupWhenTheyComplete() throws Exception {
    HazelcastInstance owner = members.get(0);
    HazelcastInstance caller = members.get(1);
    Set<String> hubs = hubsWithOpenShares(owner, "remote-", 3);
    HubStateStore store = new HubStateStore(caller);

    Map<String, GroupShare> shares = stepWhileBackupIsBusy(store, ShareStepOperation.Step.SEAL, hubs, "g-remote", memberId(caller));
    assertEquals(hubs, shares.keySet(), "every hub's open share was sealed");
    shares.values().forEach(s -> assertEquals(1, s.count()));
    assertEquals(1, store.invocations().count(ClusterInvocations.Kind.SHARE_STEP, false),
        "one round trip to the owner of the three hubs");
    assertSealedOnBackup(hubs, "g-remote");

    stepWhileBackupIsBusy(store, ShareStepOperation.Step.RELEASE, hubs, "g-remote", memberId(caller));
    assertReleasedOnBackup(hubs);
  }

  @Test
  @Order(3) // kills the owner
  void aSealSurvivesItsOwnerDyingTheMomentItCompletes() throws Exception {
    HazelcastInstance owner = members.get(0);
    HazelcastInstance survivor = members.get(1);
    Set<String> hubs = hubsWithOpenShares(owner, "death-", 2);
    HubStateStore store = new HubStateStore(owner);
    stepWhileBackupIsBusy(store, ShareStepOperation.Step.SEAL, hubs, "g-death", memberId(owner));

    owner.getLifecycleService().terminate();
    members.remove(owner);
    IMap<String, HubState> promoted = survivor.getMap(HubStateStore.MAP_NAME);
    for (String hub : hubs) {
      HubAttention a = promoted.get(hub).attention(POLICY);
      assertNotNull(a, hub + " still has its sealed share");
      assertTrue(a.openShares().isEmpty(), hub + ": the share is not open again, so it cannot be grouped a second time");
      assertTrue(a.sealedInto().containsKey("g-death"), hub + ": sealed into the group that was published");
    }
  }

  /** Hubs owned by {@code owner} (backed up on the other member), each with an open share of one alert of CODE. */
  private static Set<String> hubsWithOpenShares(HazelcastInstance owner, String prefix, int n) {
    IMap<String, HubState> map = owner.getMap(HubStateStore.MAP_NAME);
    RegionalGate bursting = (code, hub, at, p) -> true;
    Set<String> hubs = new HashSet<>();
    for (int i = 0; hubs.size() < n; i++) {
      String hub = prefix + i;
      if (!owner.getPartitionService().getPartition(hub).getOwner().localMember()) continue;
      HubState state = new HubState();
      byte[] verdicts = state.apply(hub, 1, List.of(alert(hub, GPF, CODE, 1, NOW)), NOW, POLICY, bursting).verdicts();
      assertEquals(Verdict.GROUPED, Verdict.of(verdicts[0]));
      map.set(hub, state);
      hubs.add(hub);
    }
    return hubs;
  }

  /**
   * Runs a step while the backup member's only partition thread is held, and returns its result: a step that
   * waits for its backup completes only after the hold.
   */
  private static Map<String, GroupShare> stepWhileBackupIsBusy(HubStateStore store, ShareStepOperation.Step step, Set<String> hubs,
      String groupId, String creator) throws Exception {
    HazelcastInstance backup = members.get(1);
    String keyThere = null;
    for (int i = 0; keyThere == null; i++) {
      if (backup.getPartitionService().getPartition("hold-" + i).getOwner().localMember()) keyThere = "hold-" + i;
    }
    HoldPartitionThread.started = new CountDownLatch(1);
    IMap<String, HubState> map = backup.getMap(HubStateStore.MAP_NAME);
    CompletableFuture<Object> hold = map.submitToKey(keyThere, new HoldPartitionThread(HOLD_MILLIS)).toCompletableFuture();
    assertTrue(HoldPartitionThread.started.await(10, TimeUnit.SECONDS), "the backup member's partition thread is held");
    Map<String, GroupShare> result = store.shareStep(hubs, step, CODE, groupId, creator, POLICY, context)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    hold.get(10, TimeUnit.SECONDS);
    return result;
  }

  /** The backup member's registry is updated by the step's backup copy as it runs there. */
  private static void assertSealedOnBackup(Set<String> hubs, String groupId) {
    for (String hub : hubs) {
      HubAttention onBackup = cluster.registry(1).attention().get(hub);
      assertNotNull(onBackup, hub + ": the step had run on the backup when it completed");
      assertTrue(onBackup.sealedInto().containsKey(groupId), hub + ": sealed on the backup when the step completed");
      assertTrue(onBackup.openShares().isEmpty(), hub + ": no open share left on the backup");
    }
  }

  private static void assertReleasedOnBackup(Set<String> hubs) {
    for (String hub : hubs) {
      assertNull(cluster.registry(1).attention().get(hub), hub + ": released on the backup when the step completed");
    }
  }

  private static String memberId(HazelcastInstance m) {
    return m.getCluster().getLocalMember().getUuid().toString();
  }

  /** Holds the partition thread it runs on; changes nothing, so it has no backup. */
  static final class HoldPartitionThread implements EntryProcessor<String, HubState, Object> {
    static volatile CountDownLatch started;
    private final long millis;

    HoldPartitionThread(long millis) {
      this.millis = millis;
    }

    @Override
    public Object process(Map.Entry<String, HubState> entry) {
      started.countDown();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }

    @Override
    public EntryProcessor<String, HubState, Object> getBackupProcessor() {
      return null;
    }
  }
}
