package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.FreePorts;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The digests by e-mail, against a real SMTP server (GreenMail) inside the test: while the server is down the digest
 * event still goes upstream and the failed send is counted and tried again; once the server is up the DNO's
 * addresses receive one plain-text digest with the same figures; the suppliers, given no addresses, none.
 */
class DigestEmailTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final DigestTraffic traffic = new DigestTraffic();
  private Node node;
  private DspFeed feed;
  private GreenMail smtp;

  @AfterEach
  void stop() throws Exception {
    if (feed != null) feed.close();
    TestNodes.stop(node);
    if (smtp != null) smtp.stop();
    traffic.close();
  }

  @Test
  void theDigestReachesTheRecipientsAddressesAfterAFailedSendWithoutHoldingTheEvent() throws Exception {
    int smtpPort = FreePorts.next();
    JsonObject config = DigestTraffic.digestConfig(TestNodes.config(upstream.broker().url()));
    config.getJsonObject("digests").put("email", new JsonObject().put("enabled", true)
        .put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", smtpPort).put("startTls", "disabled"))
        .put("from", "csp-edge-north@example.org")
        .put("to", new JsonObject().put("dno", new JsonArray().add("ops@dno.example")))
        .put("retries", 100).put("retryInterval", "500ms"));
    feed = traffic.digestFeed(upstream.broker().port());
    node = TestNodes.start(config, traffic.clock::get);
    traffic.post(node.httpPort(), traffic.alerts(1, "8014", 4, "M1"));
    traffic.post(node.httpPort(), traffic.alerts(2, "8D01", 2, "M2"));
    Await.until(() -> traffic.reported(node.httpPort()) == 6, WAIT, () -> "reported " + traffic.reported(node.httpPort()));

    traffic.clock.set(DigestTraffic.PERIOD_END.plusSeconds(61).toEpochMilli());
    Await.until(() -> feed.events() == 2, WAIT, () -> "digests upstream while the SMTP server is down: " + feed.all());
    Await.until(() -> traffic.metric(node.httpPort(), "csp_digest_emails_total", "result=\"failed\"") >= 1, WAIT,
        () -> "failed sends counted: " + traffic.metric(node.httpPort(), "csp_digest_emails_total", "result=\"failed\""));

    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    Await.until(() -> smtp.getReceivedMessages().length == 1, WAIT, () -> "e-mails: " + smtp.getReceivedMessages().length);
    Thread.sleep(1_000); // further retries would have arrived by now
    MimeMessage[] received = smtp.getReceivedMessages();
    assertEquals(1, received.length, "one e-mail: the DNO's (the suppliers have no addresses)");
    MimeMessage mail = received[0];
    assertEquals("ops@dno.example", mail.getAllRecipients()[0].toString());
    assertTrue(mail.getSubject().contains("dno") && mail.getSubject().contains(DigestTraffic.PERIOD_START.toString()),
        mail.getSubject());
    String body = GreenMailUtil.getBody(mail);
    assertTrue(body.contains("Alerts: 4"), body);
    assertTrue(body.contains("8014  forwarded: 4"), body);
    assertTrue(body.contains(String.format(DigestTraffic.HUB, 1) + ": 4"), body);
    assertTrue(body.contains("Acme / M1 / 1.0: 4"), body);
    assertTrue(body.contains(DigestTraffic.eventId("dno")), body);
    assertEquals(1.0, traffic.metric(node.httpPort(), "csp_digest_emails_total", "result=\"sent\""));
  }

  /**
   * An e-mail waiting for its next try when the node stops is kept in the data directory and sent by the next start,
   * once. Before, it was given up at the stop: the DNO never had that period's digest by e-mail.
   */
  @Test
  void anEmailWaitingForItsRetryAtAStopIsSentByTheNextStart() throws Exception {
    int smtpPort = FreePorts.next(); // nothing listens there yet: every send fails
    JsonObject config = DigestTraffic.digestConfig(TestNodes.config(upstream.broker().url()));
    config.getJsonObject("digests").put("email", new JsonObject().put("enabled", true)
        .put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", smtpPort).put("startTls", "disabled"))
        .put("from", "csp-edge-north@example.org")
        .put("to", new JsonObject().put("dno", new JsonArray().add("ops@dno.example")))
        .put("retries", 5).put("retryInterval", "1h"));
    feed = traffic.digestFeed(upstream.broker().port());
    node = TestNodes.start(config, traffic.clock::get);
    traffic.post(node.httpPort(), traffic.alerts(1, "8014", 4, "M1"));
    Await.until(() -> traffic.reported(node.httpPort()) == 4, WAIT, () -> "reported " + traffic.reported(node.httpPort()));
    traffic.clock.set(DigestTraffic.PERIOD_END.plusSeconds(61).toEpochMilli());
    Await.until(() -> node.digests().emails("failed") >= 1, WAIT, () -> "failed: " + node.digests().emails("failed"));
    Await.until(() -> feed.events() == 2, WAIT, () -> "digests upstream: " + feed.all());

    Node stopped = node;
    node = null;
    TestNodes.stop(stopped);
    assertEquals(0, stopped.digests().emails("given_up"), "the e-mail the stop cut short is kept, not given up");
    Path kept = Path.of(config.getJsonObject("node").getString("dataDir"), DigestMail.DIRECTORY);
    assertEquals(1, files(kept), "one e-mail kept in " + kept);

    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    node = TestNodes.start(config, traffic.clock::get);
    Await.until(() -> smtp.getReceivedMessages().length == 1, WAIT, () -> "e-mails: " + smtp.getReceivedMessages().length);
    Await.until(() -> files(kept) == 0, WAIT, () -> "e-mails still kept: " + files(kept));
    Thread.sleep(1_000); // a second copy would have arrived by now
    assertEquals(1, smtp.getReceivedMessages().length, "sent once");
    String body = GreenMailUtil.getBody(smtp.getReceivedMessages()[0]);
    assertTrue(body.contains("Alerts: 4") && body.contains(DigestTraffic.eventId("dno")), body);
    assertEquals(1, node.digests().emails("sent"));
    assertEquals(0, node.digests().emails("given_up"));
    assertEquals(2, feed.events(), "the digests were not published again: " + feed.all());
  }

  private static long files(Path dir) {
    if (!Files.isDirectory(dir)) return 0;
    try (var list = Files.list(dir)) {
      return list.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
