package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.sim.BadInputScenario;
import org.csp.edge.sim.CounterResendScenario;
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
 * is a duplicate if the dead member had recorded it). The storm has no intentional duplicates or bad input, so
 * the DSP must count exactly the alerts that were sent. With the broker up, bad input and resent headers go to every
 * member as well: the dead member's rejections and duplicates, which no hub holds, come back in the last heartbeat
 * a member that stays sends for it, so the whole feed's equation holds.
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
      List<Future<SimReport>> noise = new ArrayList<>();
      if (!brokerDown) {
        for (String scenario : List.of(BadInputScenario.NAME, CounterResendScenario.NAME)) {
          noise.add(new StormSimulator().run(upstream.vertx(), SimOptions.builder().host("127.0.0.1")
              .mqttPorts(cluster.nodes().stream().map(NodeProcess::mqttPort).toList()).connections(3).qos(1)
              .scenario(scenario).ratePerSecond(150).seed(12).quiet(true).build()));
        }
      }
      Thread.sleep(2_000);
      if (brokerDown) upstream.broker().stop(); // events now wait in the hubs' state on every member
      Thread.sleep(1_000);
      NodeProcess victim = cluster.node(1);
      assertEquals(137, victim.kill(), "SIGKILL");
      SimReport sent = running.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
      assertEquals(0, sent.alertsUnconfirmed(), "the survivors acknowledged everything the dead member did not");
      List<SimReport> noiseSent = new ArrayList<>();
      for (Future<SimReport> n : noise) noiseSent.add(n.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES));
      if (brokerDown) {
        Thread.sleep(1_000);
        upstream.broker().start(); // persistent session: the feed's subscription and queued messages survive
      }
      assertEquals(sent.alertsSent(), sent.alertsSent() - sent.duplicateAlerts() - sent.badAlerts(), "the storm sends each alert once");
      // Every alert that is neither a resent header nor bad is counted in an event, exactly once.
      long expected = sent.alertsSent() + noiseSent.stream().mapToLong(n -> n.alertsSent() - n.duplicateAlerts() - n.badAlerts()).sum();
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(90),
          () -> "upstream counted " + dsp.countedAlerts() + " of " + expected + "\n" + cluster.describe());
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
      ClusterConsolidationTest.assertOneSummaryPerPeriod(dsp);
      Thread.sleep(1_000);
      assertEquals(expected, dsp.countedAlerts(), "and nothing counted twice afterwards");
      if (brokerDown) return;

      // The members that stay stop cleanly: their final heartbeats, and the dead member's from the cluster.
      for (NodeProcess n : cluster.running()) assertEquals(143, n.terminate(), "SIGTERM");
      long allSent = sent.alertsSent();
      long resent = sent.alertsResent();
      for (SimReport n : noiseSent) {
        assertEquals(0, n.alertsUnconfirmed(), n.toString());
        allSent += n.alertsSent();
        resent += n.alertsResent();
      }
      assertTrue(noiseSent.stream().mapToLong(SimReport::badAlerts).sum() > 0, "bad input was sent");
      long lower = allSent;
      long upper = allSent + resent; // a message the dead member counted and never acknowledged is counted again
      long resends = resent;
      Await.until(() -> {
        long total = dsp.accounting().check(lower).total();
        return total >= lower && total <= upper;
      }, Duration.ofSeconds(30), () -> "sent " + lower + " (+" + resends + " resent):\n" + dsp.accounting().check(lower).toText());
    }
  }
}
