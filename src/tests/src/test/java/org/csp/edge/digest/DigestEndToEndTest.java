package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import java.util.List;
import org.csp.edge.support.Await;
import org.csp.edge.support.ContractSchemas;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node with hourly digests on a clock the test moves, publishing to a real Mosquitto: alerts of the DNO's codes
 * and of the suppliers', sent before and after a restart within the hour, come back once the hour is over as exactly
 * one digest per recipient, whose counts by code and outcome add up to the alerts of its codes, with the storm, the
 * top hub and device model; no digest before the period's delay has passed; and a restart after the period sends
 * none again.
 */
class DigestEndToEndTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final DigestTraffic traffic = new DigestTraffic();
  private Node node;
  private DspFeed feed;

  @AfterEach
  void stop() throws Exception {
    if (feed != null) feed.close();
    TestNodes.stop(node);
    traffic.close();
  }

  @Test
  void oneDigestPerRecipientAndPeriodWithItsCountsAcrossRestarts() throws Exception {
    JsonObject config = DigestTraffic.digestConfig(TestNodes.config(upstream.broker().url()));
    feed = traffic.digestFeed(upstream.broker().port());
    node = TestNodes.start(config, traffic.clock::get);

    int port = node.httpPort();
    traffic.post(port, traffic.alerts(1, "8014", 3, "M1")); // the DNO's codes
    traffic.post(port, traffic.alerts(2, "8015", 2, null));
    traffic.post(port, traffic.alerts(3, "8F3E", 12, "M1")); // the suppliers': a storm past the threshold of 5
    JsonArray other = traffic.alerts(4, "8D01", 4, "M2");
    other.add(other.getJsonObject(0).copy()); // a duplicate header
    other.add(traffic.alerts(4, "8F3E", 1, "M2").getJsonObject(0).put("raisedAt", "yesterday")); // rejected unread: no code
    traffic.post(port, other);
    long dno = 5;
    long suppliers = 12 + 4 + 1;
    long unread = 1; // belongs to no recipient
    Await.until(() -> traffic.reported(node.httpPort()) == dno + suppliers + unread, WAIT,
        () -> "reported " + traffic.reported(node.httpPort()));

    // A restart within the hour: the counts of both boots add up in the digest.
    TestNodes.stop(node);
    node = TestNodes.start(config, traffic.clock::get);
    traffic.post(node.httpPort(), traffic.alerts(5, "8014", 2, "M1"));
    traffic.post(node.httpPort(), traffic.alerts(6, "8D01", 3, "M2"));
    long dnoAll = dno + 2;
    long suppliersAll = suppliers + 3;
    Await.until(() -> traffic.reported(node.httpPort()) == dnoAll + suppliersAll + unread, WAIT,
        () -> "reported " + traffic.reported(node.httpPort()));

    // The hour is over, but not its delay: nothing yet.
    traffic.clock.set(DigestTraffic.PERIOD_END.plusSeconds(30).toEpochMilli());
    Thread.sleep(1_000);
    assertEquals(0, feed.messages(), "no digest before the period's delay has passed");

    traffic.clock.set(DigestTraffic.PERIOD_END.plusSeconds(61).toEpochMilli());
    Await.until(() -> feed.events() == 2, WAIT, () -> "digests: " + feed.all());
    JsonObject toDno = DigestTraffic.digestsOf(feed, "dno").get(0);
    JsonObject toSuppliers = DigestTraffic.digestsOf(feed, "suppliers").get(0);
    assertEquals(dnoAll, DigestTraffic.counted(toDno), toDno.encodePrettily());
    assertEquals(suppliersAll, DigestTraffic.counted(toSuppliers), toSuppliers.encodePrettily());
    assertEquals(DigestTraffic.eventId("dno"), toDno.getString("eventId"));
    assertEquals("dsp/north/digest/dno", toDno.getString("_topic"));
    assertEquals(0, toDno.getInteger("count"), "a digest accounts for no alert");
    ContractSchemas schemas = new ContractSchemas();
    for (JsonObject digest : List.of(toDno, toSuppliers)) {
      JsonObject wire = digest.copy();
      wire.remove("_topic");
      assertEquals(List.of(), schemas.northboundProblems(digest.getString("_topic"), wire.toBuffer().getBytes()),
          "the contract's schema: " + digest.encodePrettily());
    }
    assertEquals(2, toDno.getInteger("schema"));
    assertEquals(DigestTraffic.PERIOD_END.toString(), toDno.getString("periodEnd"));
    assertEquals(5, toDno.getJsonObject("byCode").getJsonObject("8014").getLong("forwarded"), toDno.encodePrettily());
    assertEquals(1, toSuppliers.getJsonObject("byCode").getJsonObject("8D01").getLong("duplicate"), toSuppliers.encodePrettily());
    assertTrue(toSuppliers.getJsonObject("byCode").getJsonObject("8F3E").getLong("consolidated") > 0, toSuppliers.encodePrettily());
    assertEquals(1, toSuppliers.getLong("stormsStarted"), toSuppliers.encodePrettily());
    assertEquals(1, toSuppliers.getJsonObject("stormsByCode").getJsonObject("8F3E").getLong("started"));
    assertEquals(0, toDno.getLong("stormsStarted"), "the DNO's codes did not storm");
    assertEquals(String.format(DigestTraffic.HUB, 3), toSuppliers.getJsonArray("topHubs").getJsonObject(0).getString("hubId"),
        "hub 3 sent the most of the suppliers' codes");
    assertEquals("M1", toDno.getJsonArray("topDeviceModels").getJsonObject(0).getJsonObject("dmc").getString("model"));
    assertEquals(5, toDno.getJsonArray("topDeviceModels").getJsonObject(0).getLong("count"));

    Await.until(() -> traffic.metric(node.httpPort(), "csp_digests_published_total", "recipient=\"dno\"") == 1.0, WAIT,
        () -> "csp_digests_published_total of dno: " + traffic.metric(node.httpPort(), "csp_digests_published_total", "recipient=\"dno\""));

    // A restart after the period: the store remembers the digests published; none is built again.
    TestNodes.stop(node);
    node = TestNodes.start(config, traffic.clock::get);
    Thread.sleep(2_000); // ten checks
    assertEquals(2, feed.messages(), "each digest once: " + feed.all());
    assertEquals(0, feed.repeats());
  }

  @Test
  void aPeriodThatEndedWhileTheNodeWasDownIsDigestedAtTheNextStart() throws Exception {
    JsonObject config = DigestTraffic.digestConfig(TestNodes.config(upstream.broker().url()));
    feed = traffic.digestFeed(upstream.broker().port());
    node = TestNodes.start(config, traffic.clock::get);
    traffic.post(node.httpPort(), traffic.alerts(1, "8015", 3, "M1"));
    traffic.post(node.httpPort(), traffic.alerts(2, "8D01", 2, "M2"));
    Await.until(() -> traffic.reported(node.httpPort()) == 5, WAIT, () -> "reported " + traffic.reported(node.httpPort()));
    TestNodes.stop(node);

    traffic.clock.set(DigestTraffic.PERIOD_END.plus(Duration.ofHours(2)).plusSeconds(30).toEpochMilli()); // down meanwhile
    node = TestNodes.start(config, traffic.clock::get);
    // The hour digested at the start, and the empty hour after it (the node was watching since 10:05); 12:00-13:00
    // is not due until 13:01.
    Await.until(() -> feed.events() == 4, WAIT, () -> "digests: " + feed.all());
    assertEquals(3, DigestTraffic.counted(DigestTraffic.digestsOf(feed, "dno").get(0)));
    assertEquals(2, DigestTraffic.counted(DigestTraffic.digestsOf(feed, "suppliers").get(0)));
    Thread.sleep(1_000);
    assertEquals(4, feed.messages(), "each once: " + feed.all());
  }
}
