package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.support.Await;
import org.csp.edge.support.InJvmCluster;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members of one cluster on loopback (in this JVM) behind one upstream broker, with the simulator's connections
 * spread round-robin over all of them: the consolidation behaves as if one node saw everything, and every alert is
 * accounted for exactly, also while members join and leave mid-storm.
 */
class ClusterConsolidationTest {
  private static final String FEED = "dsp/north/#";
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  @ParameterizedTest(name = "{0}: three members against one node")
  // mix holds the GPF and voltage storms too (healthy traffic, hub storms, regional bursts, resent headers, bad input)
  @ValueSource(strings = {"power-restore", "mix"})
  void threeMembersAccountExactlyAndSendWhatOneNodeSends(String scenario) throws Exception {
    Outcome single;
    Node node = TestNodes.start(TestNodes.config(upstream.broker().url()));
    try {
      single = run(scenario, List.of(node.config().mqttPort()), List.of(node)::stream, null);
    } finally {
      TestNodes.stop(node);
    }
    Outcome cluster;
    try (InJvmCluster members = new InJvmCluster(upstream.broker().url()).start(3)) {
      cluster = run(scenario, members.mqttPorts(), () -> members.nodes().stream(), members);
    }
    System.out.printf("%s: one node %d alerts -> %d events; three members %d alerts -> %d events%n",
        scenario, single.sent, single.events, cluster.sent, cluster.events);
    assertEquals(single.sent, cluster.sent, "the same scenario and seed");
    // The stated bound (src/docs/design.md, "Cluster"): hub storms are decided on the hub's owner, so their
    // messages match; regional bursts trip per member at threshold / members, so up to (members - 1) more
    // burst notices and groups per group wait; summaries differ by timing of periods only.
    // Fewer messages is no overshoot: groups closed later on a loaded machine gather more hubs (seen: 40 vs 106
    // for power-restore), with the accounting above still exact.
    double allowed = single.events * 0.25 + 2 * 3 * (1 + single.groups);
    assertTrue(cluster.events <= single.events + allowed,
        "three members send no more than one node plus the bound: " + cluster.events + " vs " + single.events + " (allowed +" + allowed + ")");
  }

  @Test
  void aMemberJoinsAndAnotherLeavesMidStormWithoutLosingOrRepeatingACount() throws Exception {
    try (InJvmCluster members = new InJvmCluster(upstream.broker().url()).start(3);
         DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), FEED)) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimOptions options = options("mix", members.mqttPorts()).scale(0.5).ratePerSecond(600).build();
      Future<SimReport> running = new StormSimulator().run(upstream.vertx(), options);
      Thread.sleep(2_500);
      members.add(); // joins mid-storm: partitions migrate to it
      Thread.sleep(2_000);
      members.stop(members.nodes().get(1)); // leaves gracefully mid-storm: its hubs go to the others
      SimReport sent = running.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);

      Await.until(members::settled, Duration.ofSeconds(60), members::statuses);
      long duplicates = members.sum("duplicates");
      long rejected = members.sum("rejected");
      long expected = sent.alertsSent() - duplicates - rejected;
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + ", expected " + expected + "\n" + members.statuses());
      assertEquals(sent.alertsSent(), members.sum("received"), "every alert reached a member");
      assertEquals(sent.duplicateAlerts(), duplicates, "every resent header is a duplicate, none counted twice");
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count: " + dsp.repeatsThatDiffer());
      assertOneSummaryPerPeriod(dsp);
    }
  }

  /**
   * Storms still open when the members stop leave their counts in the hubs' state; the last member must flush
   * every one of them, also those of hubs that reached it by migration just before, when the others left one after
   * another (its registry knew nothing of those yet).
   */
  @Test
  void membersLeavingOneAfterAnotherLeaveNoOpenCountBehind() throws Exception {
    JsonObject longPeriods = TestNodes.fastPolicy();
    longPeriods.getJsonObject("defaults").put("summaryPeriod", "1h").put("quietPeriod", "1h");
    try (InJvmCluster members = new InJvmCluster(upstream.broker().url()).policy(longPeriods).start(3);
         DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), FEED)) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimReport sent = new StormSimulator().run(upstream.vertx(), options("gpf-8f3e", members.mqttPorts()).build())
          .toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
      // Decided and delivered, but the storms stay open: their counts wait for a period end that is an hour away.
      Await.until(() -> members.sum("inProgress") == 0 && members.sum("hubsWithEventsWaiting") == 0
          && members.sum("outboxDepth") == 0, Duration.ofSeconds(60), members::statuses);
      assertTrue(members.sum("hubsInStorm") > 0, "storms are open when the members start to leave");
      while (!members.nodes().isEmpty()) members.stop(members.nodes().get(0));

      long expected = sent.alertsSent() - members.sum("duplicates") - members.sum("rejected");
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + ", expected " + expected);
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count: " + dsp.repeatsThatDiffer());
    }
  }

  /** No two different events for the same hub, code and summary period. */
  static void assertOneSummaryPerPeriod(DspFeed dsp) {
    Map<String, String> idByPeriod = new HashMap<>();
    for (JsonObject e : dsp.all()) {
      if (!"summary".equals(e.getString("type"))) continue;
      String period = e.getString("hubId") + "|" + e.getString("alertCode") + "|" + e.getString("periodStart");
      String before = idByPeriod.putIfAbsent(period, e.getString("eventId"));
      assertTrue(before == null || before.equals(e.getString("eventId")), "two summaries for " + period);
    }
    assertTrue(idByPeriod.size() > 0, "the storm was summarised");
  }

  private record Outcome(long sent, long events, long groups) {}

  private Outcome run(String scenario, List<Integer> ports, java.util.function.Supplier<java.util.stream.Stream<Node>> nodes,
      InJvmCluster members) throws Exception {
    try (DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), FEED)) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimOptions options = options(scenario, ports).build();
      SimReport sent = new StormSimulator().run(upstream.vertx(), options).toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
      Await.until(() -> nodes.get().allMatch(n -> n.status().settled()), Duration.ofSeconds(60),
          () -> nodes.get().map(n -> n.status().toJson().encode()).toList().toString());
      long duplicates = nodes.get().mapToLong(n -> n.status().toJson().getLong("duplicates")).sum();
      long rejected = nodes.get().mapToLong(n -> n.status().toJson().getLong("rejected")).sum();
      long expected = sent.alertsSent() - duplicates - rejected;
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + ", expected " + expected);
      assertEquals(sent.alertsSent(), nodes.get().mapToLong(n -> n.status().toJson().getLong("received")).sum());
      assertEquals(sent.duplicateAlerts(), duplicates, "every resent header is a duplicate");
      assertEquals(sent.badAlerts(), rejected, "every bad input is rejected");
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
      if (members != null) {
        long busy = members.nodes().stream().filter(n -> n.status().toJson().getLong("received") > 0).count();
        assertEquals(3, busy, "the simulator's connections reached all three members");
      }
      return new Outcome(sent.alertsSent(), dsp.events(), dsp.eventsOfType("group"));
    }
  }

  private static SimOptions.Builder options(String scenario, List<Integer> ports) {
    return SimOptions.builder()
        .host("127.0.0.1")
        .mqttPorts(ports)
        .connections(ports.size() * 2)
        .scenario(scenario)
        .scale(scenario.equals("power-restore") ? 1.0 : 0.25)
        .seed(scenario.hashCode())
        .quiet(true);
  }
}
