package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.alert.Alert;
import org.csp.edge.cluster.state.Absent;
import org.csp.edge.cluster.state.HubStateSerializers;
import org.csp.edge.cluster.state.StateText;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.HubVerdicts;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.TestAlerts;
import org.csp.edge.decision.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade's middle: members whose schemas differ by an added field, under traffic. One member speaks a
 * "next release" that writes one more field in the hub state and in the decide operation (and reads it when
 * present, as {@link Absent} has it); the others speak this release. Alerts go through both kinds of member, a third
 * member joins (migrations) and the first leaves gracefully (its partitions and backups move): every alert gets its
 * verdict, and every hub's state, read on a member of each kind, is what deciding the same alerts in one place makes
 * of it.
 */
class MixedSchemaClusterTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int HUBS = 48;
  /** Storm at 5 within 10 s, as {@link StateText#probePolicy}: storms, summaries and forwards alike. */
  private static final AlertPolicy POLICY = StateText.probePolicy();
  private final List<HazelcastInstance> members = new ArrayList<>();
  private Vertx vertx;

  @AfterEach
  void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
    if (vertx != null) vertx.close();
  }

  @Test
  void membersOfTwoSchemasDecideEveryAlertAsOneMemberWould() throws Exception {
    vertx = Vertx.vertx();
    String cluster = "csp-mixed-schema-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    HazelcastInstance current = start(cluster, false);
    HazelcastInstance next = start(cluster, true);
    awaitSafe(current, 2);

    Map<String, HubState> reference = new HashMap<>();
    Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    AtomicLong sent = new AtomicLong();
    long now = traffic(List.of(current, next), 0, 20, T0, reference, verdicts, sent);
    HazelcastInstance third = start(cluster, false); // partitions migrate to it, from both kinds of member
    awaitSafe(next, 3);
    now = traffic(List.of(current, next, third), 20, 40, now, reference, verdicts, sent);
    current.shutdown(); // graceful: its partitions and their backups move to the others
    members.remove(current);
    awaitSafe(next, 2);
    traffic(List.of(next, third), 40, 60, now, reference, verdicts, sent);

    assertTrue(sent.get() >= 2_000, "a few thousand alerts: " + sent.get());
    assertEquals(sent.get(), verdicts.values().stream().mapToLong(Integer::longValue).sum(), "a verdict per alert");
    assertTrue(verdicts.getOrDefault(Verdict.CONSOLIDATED, 0) > 0 && verdicts.getOrDefault(Verdict.FORWARD, 0) > 0
        && verdicts.getOrDefault(Verdict.DUPLICATE, 0) > 0, "storms, forwards and duplicates: " + verdicts);
    for (HazelcastInstance reader : List.of(next, third)) {
      IMap<String, HubState> hubs = reader.getMap(HubStateStore.MAP_NAME);
      for (Map.Entry<String, HubState> e : reference.entrySet()) {
        HubState there = hubs.get(e.getKey());
        assertNotNull(there, e.getKey());
        assertEquals(withoutOperations(StateText.described(copy(e.getValue()))), withoutOperations(StateText.described(there)),
            e.getKey() + " read on " + reader.getName());
      }
    }
  }

  /**
   * A hub's text without the operations its forwarded alerts' ids name: the reference decides with operation ids of
   * its own, the members with those the store gave (each id is the same on owner and backup, which is what matters).
   */
  private static String withoutOperations(String described) {
    return described.replaceAll("(eventId=\"alert:[^\"@]*)@[0-9a-f]+\\.\\d+\"", "$1\"");
  }

  /**
   * Messages {@code from} to {@code to} for every hub, each through one of {@code via} in turn: per hub a few alerts of
   * a storming code, one of a code forwarded, and a resent header. Decided the same way in {@code reference}.
   */
  private long traffic(List<HazelcastInstance> via, int from, int to, long now, Map<String, HubState> reference,
      Map<Verdict, Integer> verdicts, AtomicLong sent) throws Exception {
    List<HubStateStore> stores = via.stream().map(HubStateStore::new).toList();
    for (int round = from; round < to; round++) {
      now += 700;
      Map<String, List<Alert>> message = new LinkedHashMap<>();
      for (int h = 0; h < HUBS; h++) {
        String hub = String.format("00-1B-C5-0C-00-00-%02X-00", h);
        String device = hub.substring(0, hub.length() - 2) + "01";
        List<Alert> alerts = new ArrayList<>();
        // Hubs of the first half storm on 8F3E (two alerts every 700 ms); the others stay under the threshold.
        int stormy = h < HUBS / 2 ? 2 : (round % 4 == 0 ? 1 : 0);
        for (int k = 0; k < stormy; k++) alerts.add(TestAlerts.alert(hub, device, "8F3E", 10L * round + k, now));
        alerts.add(TestAlerts.alert(hub, device, "0001", 1_000_000L + round, now));
        if (round % 5 == 4) alerts.add(TestAlerts.alert(hub, device, "0001", 1_000_000L + round - 1, now)); // resent
        message.put(hub, alerts);
      }
      HubStateStore store = stores.get(round % stores.size());
      Map<String, Future<HubVerdicts>> decided = store.apply(message, now, POLICY, vertx.getOrCreateContext());
      Future.all(List.copyOf(decided.values())).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      for (Map.Entry<String, List<Alert>> e : message.entrySet()) {
        HubState local = reference.computeIfAbsent(e.getKey(), k -> new HubState());
        byte[] expected = local.apply(e.getKey(), now, e.getValue(), now, POLICY, RegionalGate.NEVER).verdicts();
        HubVerdicts got = decided.get(e.getKey()).result();
        assertArrayEquals(expected, got.verdicts(), e.getKey() + " in round " + round);
        for (int i = 0; i < got.size(); i++) verdicts.merge(got.verdict(i), 1, Integer::sum);
        sent.addAndGet(e.getValue().size());
      }
    }
    return now;
  }

  /** The reference hub copied, as its described text runs a probe that changes it. */
  private static HubState copy(HubState hub) {
    return org.csp.edge.cluster.state.LocalSerialization.copied(hub);
  }

  private HazelcastInstance start(String cluster, boolean nextRelease) {
    System.setProperty("NODE_CLUSTER_NAME", cluster);
    Config config;
    try {
      config = ClusterConfigs.memberConfig("cluster-config/local.xml", Map.of());
    } finally {
      System.clearProperty("NODE_CLUSTER_NAME");
    }
    if (nextRelease) {
      List<CompactSerializer<?>> serializers = new ArrayList<>();
      for (CompactSerializer<?> s : ClusterSerializers.all()) {
        if (s instanceof HubStateSerializers.OfHubState hub) serializers.add(new WithAddedField<>(hub));
        else if (s instanceof OperationSerializers.OfDecideAlerts decide) serializers.add(new WithAddedField<>(decide));
        else serializers.add(s);
      }
      ClusterSerializers.register(config, serializers);
    }
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    members.add(member);
    return member;
  }

  private static void awaitSafe(HazelcastInstance member, int size) throws InterruptedException {
    BareCluster.awaitMembers(member, size);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!member.getPartitionService().isClusterSafe() && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertTrue(member.getPartitionService().isClusterSafe(), "every partition has its backups");
  }

  /**
   * The type as a later release would write it: this release's fields and one more, read when present and
   * defaulted when absent (the evolution rule). Reading it without {@link Absent} fails on every object a member
   * of this release wrote, which is what this test would then catch.
   */
  private static final class WithAddedField<T> implements CompactSerializer<T> {
    private static final String ADDED = "addedInNextRelease";
    private final CompactSerializer<T> current;

    WithAddedField(CompactSerializer<T> current) {
      this.current = current;
    }

    @Override
    public T read(CompactReader in) {
      long added = Absent.int64(in, ADDED, -1);
      if (added != -1 && added != 42) throw new IllegalStateException("the added field read wrong: " + added);
      return current.read(in);
    }

    @Override
    public void write(CompactWriter out, T object) {
      current.write(out, object);
      out.writeInt64(ADDED, 42);
    }

    @Override
    public String getTypeName() {
      return current.getTypeName();
    }

    @Override
    public Class<T> getCompactClass() {
      return current.getCompactClass();
    }
  }
}
