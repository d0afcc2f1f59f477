package org.csp.edge.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An audit line names its author once, whatever an operator writes in a matcher or a comment. */
class SilenceAuditTest {
  private static final long AT = 1_700_000_000_000L;

  @Test
  void quotesAndByPairsInMatchersAndCommentsStayInsideTheirValues() {
    String matcher = "Acme\"} by=mallory x={\"";
    String comment = "ok\" by=mallory2 note=\"\n\"by\":\"mallory3\"";
    StoredSilence s = new StoredSilence("s1", Map.of("dmc.manufacturer", matcher), AT, AT + 3_600_000, comment,
        "oncall", AT, null, 0, false, false);
    List<String> lines = audited(() -> {
      SilenceAudit audit = new SilenceAudit();
      audit.created(s);
      audit.expired(s.expired("night-shift", AT + 60_000));
    });
    assertEquals(2, lines.size(), lines.toString());
    JsonObject created = new JsonObject(lines.get(0));
    assertEquals("silence.create", created.getString("audit"));
    assertEquals("oncall", created.getString("by"));
    assertEquals(matcher, created.getJsonObject("matchers").getString("dmc.manufacturer"));
    assertEquals(comment, created.getString("comment"));
    assertEquals(1, lines.get(0).split("\"by\":", -1).length - 1, "one author field: " + lines.get(0));
    JsonObject expired = new JsonObject(lines.get(1));
    assertEquals("silence.expire", expired.getString("audit"));
    assertEquals("night-shift", expired.getString("by"));
  }

  private static List<String> audited(Runnable work) {
    Logger logger = (Logger) LoggerFactory.getLogger("csp.audit");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      work.run();
    } finally {
      logger.detachAppender(appender);
    }
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
