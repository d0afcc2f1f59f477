package org.csp.edge.cluster;

import static org.csp.edge.cluster.MemberStatus.members;
import static org.csp.edge.cluster.MemberStatus.quorum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moments before a cut is noticed (src/docs/design.md, "Split brain"): a member cut off from the others still
 * believes it has the quorum until its heartbeat timeout (here 12 s). During those seconds it must acknowledge
 * nothing whose backup it cannot reach (a decision whose backup does not answer is not answered 200 but refused,
 * 503, once the member is alone without its quorum or at the decision's deadline; the hub sends it again elsewhere)
 * and publish no summary the other side may publish with another count. The majority, sent alerts in the same
 * seconds, keeps serving: a decision whose backup is on the member cut off is asked again until the member is
 * dropped and the partition backed up again, and answered 200 then. Every refused alert is sent again to the
 * majority, as a hub does; after the heal the DSP counts every acknowledged alert exactly once, and no eventId
 * arrives with two counts.
 */
class SplitBrainWindowTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  /** Hubs that storm before the cut. */
  private static final int STORMING = 24;
  /**
   * Hubs calm before the cut (one alert each): the member cut off decides their alert in the window "forward"; the
   * majority, where they storm by the time the alert is sent again, consolidates it. Were the forwarded alert
   * published, it would be counted twice. 16 of them, so that the member cut off owns some (all but surely).
   */
  private static final int CALM = 16;
  private static final int HUBS = STORMING + CALM;
  /** Long enough to send into the window and see the answers, short enough for CI. */
  private static final Map<String, String> CLOCKS = Map.of(
      "hazelcast.max.no.heartbeat.seconds", "12", "hazelcast.operation.backup.timeout.millis", "2000");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final long[] counters = new long[HUBS];
  private long acknowledged;
  /** Every alert sent, answered or not: the right side of the accounting equation. */
  private long sent;
  private final long[] acknowledgedByHub = new long[HUBS];

  /** Which member is cut off: the youngest, or the master (the oldest), whose loss makes the two others elect one. */
  enum Cut {
    YOUNGEST, MASTER;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @ParameterizedTest(name = "the {0} cut off")
  @EnumSource(Cut.class)
  void aMemberCutOffAcknowledgesNothingBeforeItNoticesAndNoEventCarriesTwoCounts(Cut which, @TempDir Path dir) throws Exception {
    String clusterName = "csp-window-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    List<Node> nodes = new ArrayList<>();
    // Closed in reverse order: the nodes stop with their packets let through again if the test failed during the cut
    // (else each waits on members it cannot reach while it stops), then the packet filter's chain is removed; each
    // node is stopped even if another fails to, so that nothing of this test runs on into the next.
    try (MemberLinks links = MemberLinks.direct(3);
         PacketDrops drops = new PacketDrops();
         DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), "dsp/north/#");
         AutoCloseable stopping = () -> {
           drops.restore();
           TestNodes.stopAll(nodes);
         }) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<JsonObject> configs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject config = TestNodes.config(upstream.broker().url());
        // Storms trip over a minute, so that they do on a loaded machine too; periods stay 1 s, quiet 2 s.
        config.getJsonObject("policy").getJsonObject("defaults").put("stormWindow", "60s");
        config.put("cluster", new JsonObject().put("config", links.memberConfig(i, clusterName, 2, dir, CLOCKS).toString()));
        configs.add(config);
      }
      TestNodes.startAll(configs, nodes);
      Await.until(() -> nodes.stream().allMatch(n -> members(n) == 3 && quorum(n)), Duration.ofSeconds(60),
          () -> statuses(nodes));
      int cutIndex = byAge(nodes, which);
      Node cut = nodes.get(cutIndex);
      List<Node> majority = nodes.stream().filter(n -> n != cut).toList();
      Node a = majority.get(0);
      // Partitions settled before the storms too: what the storms decide is backed up before the cut (see below).
      Await.until(() -> nodes.stream().allMatch(n -> hazelcast(n).getPartitionService().isClusterSafe()),
          Duration.ofSeconds(120), () -> "partitions settled: " + statuses(nodes));

      // Every hub storms (5 alerts) with periods of 1 s, over all three members.
      for (int round = 0; round < 6; round++) {
        List<CompletableFuture<Integer>> sent = new ArrayList<>();
        int hubs = round == 0 ? HUBS : STORMING;
        for (int hub = 0; hub < hubs; hub++) sent.add(send(nodes.get((hub + round) % 3), hub, counters[hub]++));
        // A backup that answers late on a loaded machine fails a decision for resend, as a hub does.
        for (int hub = 0; hub < hubs; hub++) {
          if (sent.get(hub).join() != 200) {
            assertEquals(200, sendUntilAcknowledged(nodes.get((hub + round) % 3), hub, counters[hub] - 1), "whole cluster");
          }
        }
      }
      Await.until(() -> nodes.stream().mapToLong(n -> n.status().toJson().getLong("consolidated")).sum() > 0,
          Duration.ofSeconds(10), () -> "the hubs storm: " + statuses(nodes));
      // The cut comes to a settled cluster: every partition has its backup. While partitions still migrate after the
      // members joined, one whose backup is not assigned yet is decided without one, on either side of a cut
      // (design.md, "Split brain", what is still not exact).
      Await.until(() -> nodes.stream().allMatch(n -> hazelcast(n).getPartitionService().isClusterSafe()),
          Duration.ofSeconds(120), () -> "partitions settled: " + statuses(nodes));

      drops.drop(MemberLinks.address(cutIndex)); // packets dropped, connections open: only the heartbeat timeout tells
      System.out.printf("%s (the %s) cut off at %s%n", cut.config().nodeId(), which, Instant.now());
      long cutAt = System.nanoTime();
      // The window: one alert of every hub to the member cut off, at once, before it can notice.
      List<CompletableFuture<Integer>> intoTheWindow = new ArrayList<>();
      long[] windowCounters = new long[HUBS];
      for (int hub = 0; hub < HUBS; hub++) {
        windowCounters[hub] = counters[hub]++;
        intoTheWindow.add(send(cut, hub, windowCounters[hub]));
      }
      // The majority takes alerts in the window too. A decision whose backup is on the member cut off gets no
      // backup's answer until that member is dropped and the partition is backed up on the members left: it is asked
      // again meanwhile and answered once it holds, or refused by its deadline (the hub sends it again).
      List<CompletableFuture<Integer>> majorityInTheWindow = new ArrayList<>();
      long[] majorityCounters = new long[HUBS];
      for (int hub = 0; hub < HUBS; hub++) {
        majorityCounters[hub] = counters[hub]++;
        majorityInTheWindow.add(send(majority.get(hub % 2), hub, majorityCounters[hub]));
      }
      List<Integer> answers = intoTheWindow.stream().map(CompletableFuture::join).toList();
      assertTrue(answers.stream().noneMatch(s -> s == 200),
          "the member cut off acknowledged alerts whose backup it could not reach: " + answers);
      assertTrue(indeterminate(cut) > 0, "decisions without their backup counted: " + cut.status().toJson().getJsonObject("clusterInvocations"));

      Node b = majority.get(1);
      Await.until(() -> !quorum(cut) && members(a) == 2 && members(b) == 2, Duration.ofSeconds(40),
          () -> "the cut noticed: " + statuses(nodes));
      long noticedAfter = (System.nanoTime() - cutAt) / 1_000_000;
      System.out.printf("cut noticed after %d ms%n", noticedAfter);
      assertTrue(noticedAfter > 5_000, "the window was exercised: the cut was noticed after " + noticedAfter + " ms");
      List<Integer> majorityAnswers = majorityInTheWindow.stream().map(CompletableFuture::join).toList();
      System.out.printf("the majority's answers in the window: %d of %d acknowledged at once (%s)%n",
          majorityAnswers.stream().filter(s -> s == 200).count(), HUBS, majorityAnswers);
      // Every alert the majority took in the window was answered (none hangs): acknowledged once its decision held,
      // after the member cut off was dropped, or refused for a resend (its deadline, or a quorum lost for a moment
      // while the two others elect a master: design.md, Open, "Two members that lost each other after dropping a third"), then resent below.
      assertEquals(List.of(), java.util.stream.IntStream.range(0, HUBS)
          .filter(hub -> majorityAnswers.get(hub) != 200 && majorityAnswers.get(hub) != 503)
          .mapToObj(hub -> hub + ": " + majorityAnswers.get(hub)).toList(), "alerts the majority answered otherwise");
      for (int hub = 0; hub < HUBS; hub++) {
        if (majorityAnswers.get(hub) != 200) {
          assertEquals(200, sendUntilAcknowledged(majority.get(hub % 2), hub, majorityCounters[hub]), "refused, resent");
        }
      }
      // As a hub does, what was not acknowledged is sent again, to a member that can decide it. A calm hub storms on
      // the majority's side first (5 more alerts after the one before the cut), so that its alert, which the member
      // cut off decided "forward", is consolidated there.
      for (int hub = 0; hub < HUBS; hub++) {
        if (hub >= STORMING) {
          for (int i = 0; i < 5; i++) assertEquals(200, sendUntilAcknowledged(majority.get(hub % 2), hub, counters[hub]++), "calm hub storms");
        }
        assertEquals(200, sendUntilAcknowledged(majority.get(hub % 2), hub, windowCounters[hub]), "resent to the majority");
      }
      for (int round = 0; round < 4; round++) {
        for (int hub = 0; hub < HUBS; hub++) assertEquals(200, sendUntilAcknowledged(majority.get(round % 2), hub, counters[hub]++), "the majority decides");
        Thread.sleep(300);
      }

      drops.restore();
      Await.until(() -> nodes.stream().allMatch(n -> members(n) == 3 && quorum(n)), Duration.ofSeconds(60),
          () -> "merged: " + statuses(nodes));

      // Every acknowledged alert is counted upstream exactly once: the member cut off published nothing of what it
      // decided in the window (its forwarded alerts held until an answer that never came), and the merge added
      // nothing the majority had counted itself.
      Await.until(() -> dsp.countedAlerts() >= acknowledged, Duration.ofSeconds(60),
          () -> "upstream counted " + dsp.countedAlerts() + " of " + acknowledged + " acknowledged\n" + statuses(nodes));
      Thread.sleep(3_000); // what a late read-out or the merge would add
      System.out.printf("acknowledged %d, counted upstream %d (window: %d refused)%n", acknowledged, dsp.countedAlerts(), answers.size());
      long duplicates = nodes.stream().mapToLong(n -> n.status().toJson().getLong("duplicates")).sum();
      long rejected = nodes.stream().mapToLong(n -> n.status().toJson().getLong("rejected")).sum();
      // Not asserted: a decision refused for a backup that answered late, with no cut, stands on its owner, and its
      // resend is then a duplicate too (design.md, "Split brain", what is still not exact (2)).
      System.out.printf("accounting: counted %d + duplicates %d + rejected %d = %d, sent %d%n", dsp.countedAlerts(),
          duplicates, rejected, dsp.countedAlerts() + duplicates + rejected, sent);
      assertEquals(acknowledged, dsp.countedAlerts(), () -> "every acknowledged alert counted upstream once, none twice; by hub:\n"
        + differences(dsp));
      // The case it is about happened: calm hubs' window alerts consolidated by the majority (no alert event of theirs).
      java.util.Set<String> ids = dsp.all().stream().map(e -> e.getString("eventId")).collect(Collectors.toSet());
      long consolidatedResends = java.util.stream.IntStream.range(STORMING, HUBS)
          .filter(hub -> !ids.contains(String.format("alert:00-1B-C5-0C-00-0C-%02X-01:8F3E:%d", hub, windowCounters[hub]))).count();
      System.out.printf("calm hubs whose window alert the majority consolidated: %d of %d%n", consolidatedResends, CALM);
      assertTrue(consolidatedResends > 0, "no calm hub's window alert was consolidated: the case is not exercised");
      assertEquals(List.of(), dsp.repeatsThatDiffer(), "an eventId always carries one count");
      ClusterConsolidationTest.assertOneSummaryPerPeriod(dsp);
    }
  }

  /**
   * The hubs whose alerts the DSP counted otherwise than they were acknowledged, with the events that counted them
   * (a group's count is shared out by its list of hubs): where a count went wrong.
   */
  private String differences(DspFeed dsp) {
    StringBuilder out = new StringBuilder();
    for (int hub = 0; hub < HUBS; hub++) {
      String id = String.format("00-1B-C5-0C-00-0C-%02X-00", hub);
      long counted = 0;
      StringBuilder events = new StringBuilder();
      for (JsonObject e : dsp.all()) {
        long n = 0;
        if (id.equals(e.getString("hubId"))) n = e.getInteger("count");
        io.vertx.core.json.JsonArray hubs = e.getJsonArray("hubs");
        if (hubs != null) {
          for (int i = 0; i < hubs.size(); i++) {
            if (id.equals(hubs.getJsonObject(i).getString("hubId"))) n += hubs.getJsonObject(i).getInteger("count");
          }
        }
        if (n > 0) {
          events.append("  ").append(e.getString("eventId")).append(" ").append(n).append(" from ").append(e.getString("nodeId"))
              .append(" at ").append(e.getString("emittedAt")).append('\n');
        }
        counted += n;
      }
      long acked;
      synchronized (this) {
        acked = acknowledgedByHub[hub];
      }
      if (counted != acked) out.append(id).append(": acknowledged ").append(acked).append(", counted ").append(counted).append('\n').append(events);
    }
    out.append("repeats with another count: ").append(dsp.repeatsThatDiffer()).append('\n');
    return out.toString();
  }

  /** As a hub does: the same alert again, a moment later, until it is acknowledged (at most 10 s). */
  private int sendUntilAcknowledged(Node node, int hub, long counter) throws InterruptedException {
    int status = 0;
    for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
      if (attempt > 0) Thread.sleep(500);
      status = send(node, hub, counter).join();
    }
    return status;
  }

  /** One alert of {@code hub} with {@code counter}; answered 200, it is counted as acknowledged. */
  private CompletableFuture<Integer> send(Node node, int hub, long counter) {
    JsonObject alert = new JsonObject().put("hubId", String.format("00-1B-C5-0C-00-0C-%02X-00", hub))
        .put("deviceId", String.format("00-1B-C5-0C-00-0C-%02X-01", hub)).put("deviceType", "ESME")
        .put("alertCode", "8F3E").put("originatorCounter", counter).put("raisedAt", Instant.now().toString());
    synchronized (this) {
      sent++;
    }
    // The request timeout is past the node's deadline for a decision (at most 3 heartbeat timeouts).
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.config().httpPort() + "/v1/alerts"))
            .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(alert.encode())).build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
          if (answer.statusCode() == 200) {
            synchronized (this) {
              acknowledged++;
              acknowledgedByHub[hub]++;
            }
          }
          return answer.statusCode();
        });
  }

  /** The index of the member that joined last, or of the master (Hazelcast lists members by age, the master first). */
  private static int byAge(List<Node> nodes, Cut which) {
    List<com.hazelcast.cluster.Member> byAge = new ArrayList<>(hazelcast(nodes.get(0)).getCluster().getMembers());
    com.hazelcast.cluster.Member member = which == Cut.MASTER ? byAge.get(0) : byAge.get(byAge.size() - 1);
    for (int i = 0; i < nodes.size(); i++) {
      if (hazelcast(nodes.get(i)).getCluster().getLocalMember().equals(member)) return i;
    }
    throw new IllegalStateException("no node is the member " + member);
  }

  private static HazelcastInstance hazelcast(Node node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }

  private static long indeterminate(Node n) {
    return n.status().toJson().getJsonObject("clusterInvocations").getLong("indeterminate");
  }

  private static String statuses(List<Node> nodes) {
    return nodes.stream().map(n -> n.config().nodeId() + ": members " + members(n) + ", quorum "
        + n.status().toJson().getJsonObject("quorum") + ", invocations " + n.status().toJson().getJsonObject("clusterInvocations")
        .getLong("indeterminate") + " indeterminate").collect(Collectors.joining("; "));
  }
}
