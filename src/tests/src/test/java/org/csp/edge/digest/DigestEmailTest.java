package org.csp.edge.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
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
   * An e-mail waiting for its next try when the node stops is not kept: it must at least be counted as given up (and
   * logged with its digest), not vanish. Before, the count stayed 0 and nothing said the e-mail was never sent.
   */
  @Test
  void anEmailWaitingForItsRetryAtAStopIsCountedAsGivenUp() throws Exception {
    int smtpPort = FreePorts.next(); // nothing listens there: every send fails
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
    assertEquals(0, node.digests().emails("given_up"));

    Node stopped = node;
    node = null;
    TestNodes.stop(stopped);
    assertEquals(1, stopped.digests().emails("given_up"), "the e-mail the stop cut short is counted");
  }
}
