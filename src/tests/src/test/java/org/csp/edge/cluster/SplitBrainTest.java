package org.csp.edge.cluster;

import static org.csp.edge.cluster.MemberStatus.members;
import static org.csp.edge.cluster.MemberStatus.quorum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real partition on loopback: three members, quorum 2, every link between members through a proxy the test cuts
 * ({@link MemberLinks}). The member cut off refuses every alert (HTTP 503, so the hub resends elsewhere) and says
 * it is not ready, while the other two go on deciding for every hub, also those whose partitions were on it. When
 * the cut heals, the member rejoins and the hub states merge ({@code HubStateMerge}); the DSP then counts every
 * alert that was acknowledged exactly once, and no eventId ever arrives with two different counts.
 */
class SplitBrainTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  private static final int HUBS = 12;
  private static final Duration NOTICED = Duration.ofSeconds(40);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final long[] counters = new long[HUBS];
  private final long[] acknowledgedByHub = new long[HUBS];
  private long acknowledged;

  @Test
  void aMemberCutOffAcknowledgesNothingAndTheHealedClusterCountsEveryAlertOnce(@TempDir Path dir) throws Exception {
    String clusterName = "csp-split-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    List<Node> nodes = new ArrayList<>();
    try (MemberLinks links = new MemberLinks(3);
         DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<JsonObject> configs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject config = TestNodes.config(upstream.broker().url());
        config.put("cluster", new JsonObject().put("config", links.memberConfig(i, clusterName, 2, dir).toString()));
        configs.add(config);
      }
      nodes.addAll(TestNodes.startAll(configs));
      try {
        splitAndHeal(links, dsp, nodes);
      } finally {
        // Before the links close: a member that can reach no one takes long to stop, and kept running into the
        // next test class, its connection attempts logged every 50 ms.
        TestNodes.stopAll(nodes);
      }
    }
  }

  private void splitAndHeal(MemberLinks links, DspFeed dsp, List<Node> nodes) throws Exception {
    Node a = nodes.get(0);
    Node b = nodes.get(1);
    Node cut = nodes.get(2);
    Await.until(() -> nodes.stream().allMatch(n -> members(n) == 3 && quorum(n) && MemberStatus.ready(http, n) == 200), NOTICED,
        () -> MemberStatus.statuses(nodes));

    // The whole cluster: every hub storms (5 alerts in 10 s), over all three members.
    for (int round = 0; round < 6; round++) {
      for (int hub = 0; hub < HUBS; hub++) assertEquals(200, send(nodes.get((hub + round) % 3), hub), "whole cluster");
    }

    links.isolate(2);
    Await.until(() -> !quorum(cut) && members(a) == 2 && members(b) == 2 && quorum(a) && quorum(b), NOTICED,
        () -> "the cut noticed on both sides: " + MemberStatus.statuses(nodes));
    assertEquals(503, MemberStatus.ready(http, cut), "the cut-off member is not ready");
    assertEquals(200, MemberStatus.ready(http, a), "the majority is");

    // Split: the cut-off member refuses (the hub resends to the majority); the majority decides every hub.
    int refused = 0;
    for (int round = 0; round < 8; round++) {
      for (int hub = 0; hub < HUBS; hub++) {
        if (hub % 3 == round % 3) {
          assertEquals(503, send(cut, hub), "no quorum: refused for resend");
          refused++;
        }
        assertEquals(200, send(round % 2 == 0 ? a : b, hub), "the majority decides");
      }
      Thread.sleep(300); // periods of 1 s: summaries are raised and published while split
    }
    JsonObject quorum = cut.status().toJson().getJsonObject("quorum");
    assertEquals(2, quorum.getInteger("required"));
    assertFalse(quorum.getBoolean("present"));
    assertEquals(refused, quorum.getLong("refusedAlerts"), "every refusal counted");

    links.heal();
    Await.until(() -> nodes.stream().allMatch(n -> members(n) == 3 && quorum(n)), Duration.ofSeconds(90),
        () -> "merged: " + MemberStatus.statuses(nodes));
    for (int round = 0; round < 6; round++) {
      for (int hub = 0; hub < HUBS; hub++) assertEquals(200, send(nodes.get((hub + round) % 3), hub), "healed");
    }

    // Storms end after 2 s quiet; every acknowledged alert is then in exactly one event's count.
    Await.until(() -> dsp.countedAlerts() == acknowledged, Duration.ofSeconds(60),
        () -> "upstream counted " + dsp.countedAlerts() + " of " + acknowledged + " acknowledged; by hub, acknowledged"
            + " and counted where they differ: " + MemberStatus.differences(dsp, acknowledgedByHub, hub -> String.format("00-1B-C5-0C-00-0B-%02X-00", hub)) + "\n" + MemberStatus.statuses(nodes));
    assertEquals(List.of(), dsp.repeatsThatDiffer(), "an eventId always carries one count");
    ClusterConsolidationTest.assertOneSummaryPerPeriod(dsp);
    Thread.sleep(2_000);
    assertEquals(acknowledged, dsp.countedAlerts(), "and nothing counted twice afterwards");
  }

  /** One alert of {@code hub} to {@code node}; acknowledged (200) it is counted and the hub's counter moves on. */
  private int send(Node node, int hub) throws Exception {
    JsonObject alert = new JsonObject().put("hubId", String.format("00-1B-C5-0C-00-0B-%02X-00", hub))
        .put("deviceId", String.format("00-1B-C5-0C-00-0B-%02X-01", hub)).put("deviceType", "ESME")
        .put("alertCode", "8F3E").put("originatorCounter", counters[hub]).put("raisedAt", Instant.now().toString());
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + node.config().httpPort() + "/v1/alerts"))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(alert.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() == 200) {
      acknowledged++;
      acknowledgedByHub[hub]++;
      counters[hub]++;
    }
    return answer.statusCode();
  }
}
