package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.InJvmCluster;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three members with hourly digests on a clock the test moves, publishing to a real Mosquitto: the DNO's digest is
 * claimed in the cluster map by one member (the claim as a member writes it when it wins the putIfAbsent), which
 * then dies (its Hazelcast terminated, no goodbye) before the period is due; another member takes the claim over
 * and publishes the digest, once, with the id derived from region, recipient and period, and counts that include
 * the alerts the dead member received. The suppliers' digest is claimed and published once as usual.
 */
class DigestClusterTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final DigestTraffic traffic = new DigestTraffic();
  private InJvmCluster cluster;
  private DspFeed feed;

  @AfterEach
  void stop() throws Exception {
    if (feed != null) feed.close();
    if (cluster != null) cluster.close();
    traffic.close();
  }

  @Test
  void aDigestWhoseClaimantDiedIsPublishedOnceByAnotherMemberWithTheSameId() throws Exception {
    JsonObject digestConfig = DigestTraffic.digestConfig(new JsonObject());
    cluster = new InJvmCluster(upstream.broker().url()).clock(traffic.clock::get)
        .rollups(digestConfig.getJsonObject("rollups")).section("digests", digestConfig.getJsonObject("digests")).start(3);
    feed = traffic.digestFeed(upstream.broker().port());
    List<Node> nodes = cluster.nodes();
    for (int m = 0; m < nodes.size(); m++) {
      traffic.post(nodes.get(m).httpPort(), traffic.alerts(10 + m, "8014", 2, "M1"));
      traffic.post(nodes.get(m).httpPort(), traffic.alerts(20 + m, "8D01", 3, "M2"));
    }
    long dno = 2L * nodes.size();
    long suppliers = 3L * nodes.size();
    for (Node n : nodes) {
      Await.until(() -> traffic.reported(n.httpPort()) == dno + suppliers, WAIT,
          () -> n.config().nodeId() + " reports " + traffic.reported(n.httpPort()));
    }

    Node victim = nodes.get(1);
    HazelcastInstance dying = hazelcast(victim);
    String key = "dno|" + DigestTraffic.PERIOD_START.toEpochMilli() + "|" + Duration.ofHours(1).toMillis();
    String claim = new JsonObject().put("state", "claimed").put("member", dying.getCluster().getLocalMember().getUuid().toString())
        .put("eventId", DigestTraffic.eventId("dno")).put("at", traffic.clock.get()).encode();
    assertEquals(null, hazelcast(nodes.get(0)).getMap("csp-digests").putIfAbsent(key, claim), "the victim's claim wins");
    dying.getLifecycleService().terminate();
    victim.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes.remove(victim);
    Await.until(() -> hazelcast(nodes.get(0)).getCluster().getMembers().size() == 2, WAIT, () -> "the victim is gone");

    traffic.clock.set(DigestTraffic.PERIOD_END.plusSeconds(61).toEpochMilli());
    Await.until(() -> feed.events() == 2, WAIT, () -> "digests: " + feed.all());
    Thread.sleep(1_000); // more checks by the survivors: none publishes again
    JsonObject toDno = DigestTraffic.digestsOf(feed, "dno").get(0);
    assertEquals(DigestTraffic.eventId("dno"), toDno.getString("eventId"), "the id the dead claimant would have sent");
    assertNotEquals(victim.config().nodeId(), toDno.getString("nodeId"), "a survivor published it");
    assertEquals(dno, DigestTraffic.counted(toDno), "the dead member's alerts included: " + toDno.encodePrettily());
    assertEquals(suppliers, DigestTraffic.counted(DigestTraffic.digestsOf(feed, "suppliers").get(0)));
    assertEquals(2, feed.messages(), "each digest once: " + feed.all());
    for (Node n : nodes) {
      String state = (String) hazelcast(n).getMap("csp-digests").get(key);
      assertEquals("published", new JsonObject(state).getString("state"), state);
    }
  }

  private static HazelcastInstance hazelcast(Node node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }
}
