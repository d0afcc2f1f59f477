package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.support.Await;
import org.csp.edge.support.InJvmCluster;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A regional burst while partitions migrate: members join in the middle of it, so hubs move between their shares
 * being sealed into a group and released after the broker's PUBACK. Each member's registry of the hubs it owns must
 * end where the hubs' states are (no group shown as still being delivered once it was released: the node settles),
 * and every alert is counted exactly once upstream.
 */
class BurstDuringMigrationTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  @Test
  void membersJoiningMidBurstSettleAndCountEveryAlertOnce() throws Exception {
    try (InJvmCluster members = new InJvmCluster(upstream.broker().url()).startForming(2);
         DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // 2,000 hubs, one power-restore alert each, over about 5 s: groups are sealed and released all along.
      SimOptions options = SimOptions.builder().host("127.0.0.1").mqttPorts(members.mqttPorts())
          .connections(4).scenario("power-restore").scale(1.0).ratePerSecond(400).seed(17).quiet(true).build();
      Future<SimReport> running = new StormSimulator().run(upstream.vertx(), options);
      // Traffic starts while the first two members still move partitions between them; a third joins mid-burst.
      Thread.sleep(1_500);
      members.add(); // partitions migrate to it while groups are between SEAL and RELEASE
      SimReport sent = running.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);

      Await.until(members::settled, Duration.ofSeconds(45), () -> "every member settles:\n" + members.statuses());
      // Messages not acknowledged (a connection closed for an unavailable hub) are sent again: received counts
      // every send, and a resent alert that had been decided is a duplicate.
      long received = members.sum("received");
      long duplicates = members.sum("duplicates");
      long rejected = members.sum("rejected");
      long expected = received - duplicates - rejected;
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + ", expected " + expected + "\n" + members.statuses());
      assertTrue(received >= sent.alertsSent(), "every alert reached a member");
      for (var n : members.nodes()) {
        assertEquals(null, n.status().toJson().getJsonObject("rejectedByReason").getValue("decision_failed"),
            "no decision failed (an alert refused for good): " + n.status().toJson().encode());
      }
      assertTrue(members.sum("grouped") > 0, "the burst was grouped");
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries one count: " + dsp.repeatsThatDiffer());
      Thread.sleep(1_000);
      assertEquals(expected, dsp.countedAlerts(), "nothing counted twice afterwards");
    }
  }
}
