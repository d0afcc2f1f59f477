package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node stopped in the middle of a regional burst and of hub storms, with groups and summary periods still open:
 * as the last (only) member it sends every held count before it goes. Small groups make many of them, so the
 * final flush has to seal, record, publish and release a few hundred groups, some while a periodic sweep is
 * sealing the same code.
 */
class StopMidStormTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  @Test
  void aNodeStoppedMidBurstSendsEveryHeldCountBeforeItGoes() throws Exception {
    JsonObject config = TestNodes.config(upstream.broker().url());
    JsonObject policy = TestNodes.fastPolicy();
    // Nothing closes by time during the test: groups only when 7 hubs are in, summaries at the stop.
    policy.getJsonObject("defaults").put("groupWait", "1h").put("summaryPeriod", "1h").put("quietPeriod", "1h");
    policy.put("maxHubsPerGroup", 7);
    config.put("policy", policy);
    config.getJsonObject("outbox").put("drainTimeout", "60s");
    Node node = TestNodes.start(config);
    boolean stopped = false;
    try (DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimOptions options = SimOptions.builder().host("127.0.0.1").mqttPort(node.config().mqttPort())
          .scenario("mix").scale(1.0).seed(42).quiet(true).build();
      SimReport sent = new StormSimulator().run(upstream.vertx(), options).toCompletionStage().toCompletableFuture()
          .get(3, TimeUnit.MINUTES);
      Await.until(() -> node.status().toJson().getLong("received") == sent.alertsSent(), Duration.ofSeconds(30),
          () -> node.status().toJson().encode());
      JsonObject before = node.status().toJson();
      assertTrue(before.getLong("heldInGroups") > 0 && before.getLong("hubsInStorm") > 0
          && before.getLong("regionalBursts") > 0, "groups, storms and bursts are open when the node stops: " + before.encode());

      TestNodes.stop(node);
      stopped = true;
      JsonObject status = node.status().toJson();
      long expected = sent.alertsSent() - status.getLong("duplicates") - status.getLong("rejected");
      Await.until(() -> dsp.countedAlerts() == expected, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + ", expected " + expected + "; " + status.encode());
      assertEquals(sent.duplicateAlerts(), status.getLong("duplicates"));
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
      // The flush seals each code's open shares at once, more hubs than one group lists: the groups of that period
      // say they are parts of it, each part once, and no two groups of a code share a period otherwise, so a DSP
      // knows when it has the whole of one (wire format rev 2).
      java.util.Map<String, java.util.List<Integer>> periods = new java.util.TreeMap<>();
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (JsonObject e : dsp.all()) {
        if (!"group".equals(e.getString("type")) || !ids.add(e.getString("eventId"))) continue;
        periods.computeIfAbsent(e.getString("alertCode") + " " + e.getString("periodStart") + " " + e.getString("periodEnd")
            + " of " + e.getInteger("parts", 0), k -> new java.util.ArrayList<>()).add(e.getInteger("part", 0));
      }
      assertTrue(periods.keySet().stream().anyMatch(k -> !k.endsWith(" of 0")), "the final flush made groups of several parts");
      periods.forEach((period, seen) -> {
        int of = Integer.parseInt(period.substring(period.lastIndexOf(' ') + 1));
        assertEquals(of == 0 ? List.of(0) : java.util.stream.IntStream.rangeClosed(1, of).boxed().toList(),
            seen.stream().sorted().toList(), "the groups of " + period);
      });
      // The region's storms this node started end with it: their notices name it, and no one else would end them.
      java.util.Set<String> started = new java.util.TreeSet<>();
      java.util.Set<String> ended = new java.util.TreeSet<>();
      long totalGrouped = 0;
      long grouped = 0;
      java.util.Set<String> once = new java.util.HashSet<>();
      for (JsonObject e : dsp.all()) {
        if (!once.add(e.getString("eventId"))) continue;
        if ("group".equals(e.getString("type"))) grouped += e.getInteger("count");
        if (!"region".equals(e.getString("scope"))) continue;
        String storm = e.getString("alertCode") + " from " + e.getString("startedAt");
        if ("storm-start".equals(e.getString("type"))) started.add(storm);
        if ("storm-end".equals(e.getString("type"))) {
          ended.add(storm);
          totalGrouped += e.getLong("totalGrouped");
        }
      }
      assertTrue(!started.isEmpty(), "the region stormed");
      assertEquals(started, ended, "every regional storm started has ended");
      assertEquals(grouped, totalGrouped, "the storms' ends total what their groups counted");
    } finally {
      if (!stopped) TestNodes.stop(node);
    }
  }
}
