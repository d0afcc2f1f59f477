package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.sim.SimOptions;
import org.csp.edge.sim.SimReport;
import org.csp.edge.sim.StormSimulator;
import org.csp.edge.sim.TransportKind;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every simulator scenario, through the MQTT intake and through HTTP, with a real broker as the DSP's (Mosquitto, or
 * the embedded one where it is not installed):
 * counted once per eventId upstream, sum(count) + duplicates + rejected equals the alerts the simulator sent,
 * exactly; and storms reach the DSP as far fewer messages than the node received.
 */
class StormScenariosEndToEndTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();

  static Stream<Arguments> scenarios() {
    return Stream.of("healthy", "gpf-8f3e", "voltage", "power-restore", "counter-resend", "bad-input", "mix")
        .flatMap(s -> Stream.of(Arguments.of(s, TransportKind.MQTT), Arguments.of(s, TransportKind.HTTP)));
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("scenarios")
  void everyAlertIsAccountedForExactlyOnce(String scenario, TransportKind transport) throws Exception {
    JsonObject config = TestNodes.config(upstream.broker().url());
    config.getJsonObject("node").put("heartbeatInterval", "1s"); // the feed's own accounting catches up quickly
    Node node = TestNodes.start(config);
    String prefix = "dsp/north/";
    try (DspFeed dsp = new DspFeed(upstream.vertx(), "127.0.0.1", upstream.broker().port(), prefix + "#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      SimOptions options = SimOptions.builder()
          .transport(transport)
          .host("127.0.0.1")
          .mqttPort(config.getJsonObject("node").getInteger("mqttPort"))
          .httpBaseUrl("http://127.0.0.1:" + node.httpPort())
          .scenario(scenario)
          // A regional burst needs breadth to show: power-restore runs at full size (2000 hubs).
          .scale(scenario.equals("power-restore") ? 1.0 : 0.25)
          .seed(scenario.hashCode())
          .quiet(true)
          .ratePerSecond(scenario.equals("healthy") ? TestNodes.HEALTHY_RATE : 0)
          .build();
      SimReport sent = new StormSimulator().run(upstream.vertx(), options).toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);

      Await.until(() -> node.status().settled(), Duration.ofSeconds(60), () -> node.status().toJson().encodePrettily());
      JsonObject status = node.status().toJson();
      long accounted = status.getLong("received");
      assertEquals(sent.alertsSent(), accounted, "the node received every alert the simulator sent: " + status.encode());
      long expectedUpstream = sent.alertsSent() - status.getLong("duplicates") - status.getLong("rejected");
      Await.until(() -> dsp.countedAlerts() == expectedUpstream, Duration.ofSeconds(30),
          () -> "upstream counted " + dsp.countedAlerts() + ", expected " + expectedUpstream + "; " + status.encode());

      assertEquals(sent.alertsSent(), dsp.countedAlerts() + status.getLong("duplicates") + status.getLong("rejected"),
          "sum(count) + duplicates + rejected = alerts sent");
      assertEquals(status.getLong("forwarded"), dsp.eventsOfType("alert"));
      // The same equation from the feed alone, as a DSP checks it (verify): the last heartbeat's duplicates and rejected.
      Await.until(() -> dsp.accounting().check(sent.alertsSent()).holds(), Duration.ofSeconds(10),
          () -> dsp.accounting().check(sent.alertsSent()).toText());
      assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
      assertEquals(sent.badAlerts(), status.getLong("rejected"), "every bad input is rejected: " + status.getJsonObject("rejectedByReason"));
      assertEquals(sent.duplicateAlerts(), status.getLong("duplicates"), "every resent header is a duplicate");

      double ratio = (double) dsp.events() / sent.alertsSent();
      System.out.printf("%s over %s: %d alerts sent -> %d upstream events (%.1f per 1000), duplicates=%d rejected=%d%n",
          scenario, transport, sent.alertsSent(), dsp.events(), 1000 * ratio, status.getLong("duplicates"),
          status.getLong("rejected"));
      // Bounds that follow from the test policy (storm at 5 in 10 s, region at 100 in 2 s), with margin for timing.
      switch (scenario) {
        case "gpf-8f3e" -> assertTrue(ratio < 0.05, "a hub storm is consolidated: " + ratio);
        case "voltage" -> assertTrue(ratio < 0.10, "a voltage storm is consolidated: " + ratio);
        case "power-restore" -> {
          assertTrue(dsp.eventsOfType("group") >= 1, "a regional burst is sent as groups");
          assertTrue(ratio < 0.10, "a regional burst is grouped: " + ratio);
        }
        case "healthy" -> assertEquals(sent.alertsSent(), dsp.eventsOfType("alert"), "healthy traffic is all forwarded");
        default -> { }
      }
    } finally {
      TestNodes.stop(node);
    }
  }
}
