package org.csp.edge.sim;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The send loop: pacing, progress lines, the report's arithmetic. */
class SimRunTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close(), 10);
  }

  @Test
  void aTargetRateIsHeldAndProgressIsPrinted() {
    List<SimMessage> messages = new CounterResendScenario().generate(TestContexts.mqtt(1, 0.5)).subList(0, 60);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    SimOptions options = SimOptions.builder().scenario(CounterResendScenario.NAME).ratePerSecond(100).build();

    SimReport report = Await.result(new StormSimulator(progress)
      .run(vertx, options, MessageSource.of(messages), new FakeTransport(), List.of()), 30);

    assertTrue(report.elapsed().toMillis() >= 550, "60 messages at 100/s take about 0.6 s, took " + report.elapsed());
    assertTrue(report.messagesPerSecond() <= 110, "rate " + report.messagesPerSecond());
    String lines = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(lines.contains("sim: scenario counter-resend, 60 messages, to fake"), lines);
    assertTrue(lines.contains("sim: 60/60 messages (100%)"), lines);
  }

  @Test
  void quietPrintsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<SimMessage> messages = new HealthyScenario().generate(TestContexts.mqtt(1, 0.01));
    SimOptions options = SimOptions.builder().quiet(true).build();
    Await.result(new StormSimulator(new PrintStream(bytes, true, StandardCharsets.UTF_8))
      .run(vertx, options, MessageSource.of(messages), new FakeTransport(), List.of()), 30);
    assertEquals(0, bytes.size());
  }

  @Test
  void theTextAndJsonReportsCarryTheExpectedNodeCounts() {
    ScenarioContext context = TestContexts.mqtt(6, 0.05);
    List<SimMessage> messages = new BadInputScenario().generate(context);
    SimReport report = FakeTransport.runAll(messages, context);
    String text = report.toText();
    assertTrue(text.contains("expected at the node: sum(count of events) " + report.validAlerts() + " + duplicates "
      + report.duplicateAlerts() + " + rejected " + report.badAlerts() + " = " + report.alertsSent()), text);
    assertTrue(text.contains(Kinds.OVERSIZED_MESSAGE) && text.contains(SimMessage.INVALID_CODE), text);
    var json = report.toJson();
    assertEquals(report.badAlerts(), json.getJsonObject("expectedAtNode").getLong("rejected"));
    assertEquals(report.validAlerts(), json.getJsonObject("expectedAtNode").getLong("eventCountSum"));
    assertEquals(messages.size(), json.getJsonObject("messages").getLong("sent"));
    assertTrue(json.getBoolean("complete"));
  }
}
