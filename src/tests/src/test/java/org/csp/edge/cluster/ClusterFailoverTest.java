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
import org.csp.edge.support.LocalCluster;
import org.csp.edge.support.Mosquitto;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three members, each a JVM of its own, one of them killed with SIGKILL mid-storm while QoS 1 publishers spread
 * over all three: every alert the publishers got a PUBACK for is counted upstream exactly once per eventId. Alerts
 * the dead member never acknowledged are resent by the publisher to the others and counted once too (its header
 * is a duplicate if the dead member had recorded it). The scenario has no intentional duplicates or bad input, so
 * the DSP must count exactly the alerts that were sent.
 */
class ClusterFailoverTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  @Test
  void aMemberKilledMidStormLosesNoAcknowledgedAlert() throws Exception {
    killMidStorm(false);
  }

  @Test
  void nothingIsLostWhenAMemberDiesWhileTheUpstreamBrokerIsDown() throws Exception {
    killMidStorm(true);
  }

  private void killMidStorm(boolean brokerDown) throws Exception {
    if (brokerDown) Mosquitto.require("a broker restarted with the feed's persistent session");
    try (LocalCluster cluster = LocalCluster.start(3, upstream.broker().url());
         DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimOptions options = SimOptions.builder()
          .host("127.0.0.1")
          .mqttPorts(cluster.nodes().stream().map(NodeProcess::mqttPort).toList())
          .connections(6)
          .qos(1)
          .scenario("voltage")
          .scale(0.5)
          .ratePerSecond(400)
          .seed(11)
          .quiet(true)
          .build();
      Future<SimReport> running = new StormSimulator().run(upstream.vertx(), options);
      Thread.sleep(2_000);
      if (brokerDown) upstream.broker().stop(); // events now wait in the hubs' state on every member
      Thread.sleep(1_000);
      NodeProcess victim = cluster.node(1);
      assertEquals(137, victim.kill(), "SIGKILL");
      SimReport sent = running.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
      assertEquals(0, sent.alertsUnconfirmed(), "the survivors acknowledged everything the dead member did not");
      if (brokerDown) {
        Thread.sleep(1_000);
        upstream.broker().start(); // persistent session: the feed's subscription and queued messages survive
      }
      long expected = sent.alertsSent() - sent.duplicateAlerts() - sent.badAlerts();
      assertEquals(sent.alertsSent(), expected, "this scenario sends each alert once");
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(90),
          () -> "upstream counted " + dsp.countedAlerts() + " of " + expected + "\n" + cluster.describe());
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
      ClusterConsolidationTest.assertOneSummaryPerPeriod(dsp);
      Thread.sleep(1_000);
      assertEquals(expected, dsp.countedAlerts(), "and nothing counted twice afterwards");
    }
  }
}
