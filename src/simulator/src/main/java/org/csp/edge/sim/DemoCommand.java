package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.Main;
import org.csp.edge.Node;

/**
 * {@code demo}: a node on embedded defaults (its own upstream broker, nothing else needed), the storm simulator
 * against it, and a DSP stand-in that prints the consolidated feed; then the accounting, checked. The storm
 * periods are shortened (seconds, not minutes) so that summaries and storm ends show within the demo.
 */
final class DemoCommand {
  private static final List<String> SCENARIOS = List.of("healthy", "gpf-8f3e", "voltage", "power-restore", "counter-resend", "bad-input");

  private static final int HEALTHY_RATE = 200;

  private DemoCommand() {}

  static int run(String[] args, PrintStream out) throws Exception {
    boolean exit = List.of(args).contains("--exit");
    JsonObject demo = new JsonObject()
        .put("node", new JsonObject().put("region", "central").put("id", "demo").put("statusLogInterval", "5s"))
        .put("policy", new JsonObject().put("defaults", new JsonObject().put("summaryPeriod", "5s")
            .put("quietPeriod", "5s").put("stormWindow", "10s").put("regionalWindow", "5s")
            .put("regionalThreshold", 200).put("regionalRelease", 20).put("groupWait", "1s")));
    NodeConfig config = ConfigLoader.fromJson(demo, System.getenv());
    Node node = Node.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Vertx vertx = Vertx.vertx();
    String feedTopic = config.topicPrefix() + "#";
    out.printf("%n== CSP edge node demo: region %s, MQTT intake tcp://%s:%d, HTTP http://%s:%d%n", config.region(),
        config.bindHost(), config.mqttPort(), config.bindHost(), node.httpPort());
    out.printf("== the consolidated feed goes to the embedded broker: subscribe with%n"
        + "     mosquitto_sub -h %s -p %d -t '%s' -v%n%n", config.embeddedBroker().host(), node.upstreamPort(), feedTopic);

    AtomicLong alertsShown = new AtomicLong();
    DspFeed feed = new DspFeed(vertx, config.embeddedBroker().host(), node.upstreamPort(), feedTopic)
        .onEvent(e -> print(out, e, alertsShown));
    feed.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    long sent = 0;
    long expectedDuplicates = 0;
    long expectedRejected = 0;
    for (String scenario : SCENARIOS) {
      out.printf("%n-- scenario %s --%n", scenario);
      SimOptions options = SimOptions.builder().host(config.bindHost()).mqttPort(config.mqttPort())
          .scenario(scenario).scale(1.0).quiet(true).seed(scenario.hashCode())
          // Background traffic at a background rate: as fast as possible it would look like a regional burst.
          .ratePerSecond(scenario.equals("healthy") ? HEALTHY_RATE : 0).build();
      SimReport report = new StormSimulator(out).run(vertx, options).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.MINUTES);
      out.println(report.toText());
      sent += report.alertsSent();
      expectedDuplicates += report.duplicateAlerts();
      expectedRejected += report.badAlerts();
    }

    out.printf("%n== waiting for the storms to end (quiet period %s) ...%n", org.csp.edge.config.Durations.format(config.policy().defaults().quietPeriod()));
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(60).toMillis();
    while (!node.status().settled() && System.currentTimeMillis() < deadline) Thread.sleep(200);
    Thread.sleep(500); // the last events' way from the embedded broker to the feed
    JsonObject status = node.status().toJson();
    long upstream = feed.countedAlerts();
    boolean holds = upstream + status.getLong("duplicates") + status.getLong("rejected") == sent;
    out.printf("%n== accounting (wire format): sum(count of northbound events) + duplicates + rejected = alerts sent%n");
    out.printf("   %d + %d + %d = %d   (simulator sent %d)   %s%n", upstream, status.getLong("duplicates"),
        status.getLong("rejected"), upstream + status.getLong("duplicates") + status.getLong("rejected"), sent,
        holds ? "HOLDS" : "DOES NOT HOLD");
    out.printf("   expected duplicates %d, rejected %d by reason %s%n", expectedDuplicates, expectedRejected,
        status.getJsonObject("rejectedByReason").encode());
    out.printf("   %d alerts in, %d events upstream (%.1f per 1000 alerts)%n", sent, feed.events(),
        1000.0 * feed.events() / sent);

    if (exit) {
      feed.close();
      vertx.close();
      node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return holds ? 0 : 1;
    }
    out.printf("%n== the node keeps running (status: curl http://%s:%d/v1/status); Ctrl+C stops it%n",
        config.bindHost(), node.httpPort());
    Main.stopOnSignal(node, config);
    Thread.currentThread().join();
    return 0;
  }

  /** One line per event; single alerts are shown for the first few only, so storms stay readable. */
  private static void print(PrintStream out, JsonObject e, AtomicLong alertsShown) {
    String type = e.getString("type");
    switch (type) {
      case "alert" -> {
        long n = alertsShown.incrementAndGet();
        if (n <= 5 || n % 500 == 0) {
          out.printf("   ^ alert       %s hub %s device %s%s%n", e.getString("alertCode"), e.getString("hubId"),
              e.getString("deviceId"), n > 5 ? "   (" + n + " single alerts so far)" : "");
        }
      }
      case "storm-start" -> out.printf("   ^ storm-start %s %s rate %.0f >= threshold %d%n", e.getString("alertCode"),
          "hub".equals(e.getString("scope")) ? "hub " + e.getString("hubId") : "REGION " + e.getString("region"),
          e.getDouble("rate"), e.getInteger("threshold"));
      case "summary" -> out.printf("   ^ summary     %s hub %s count=%d devices=%d%s%n", e.getString("alertCode"),
          e.getString("hubId"), e.getInteger("count"), e.getJsonArray("devices").size(),
          e.getJsonObject("dmc") == null ? "" : " dmc=" + dmcText(e.getJsonObject("dmc")));
      case "group" -> out.printf("   ^ group       %s count=%d from %d hubs%n", e.getString("alertCode"),
          e.getInteger("count"), e.getJsonArray("hubs").size());
      case "storm-end" -> out.printf("   ^ storm-end   %s %s consolidated=%s%n", e.getString("alertCode"),
          "hub".equals(e.getString("scope")) ? "hub " + e.getString("hubId") : "REGION",
          e.getValue("hub".equals(e.getString("scope")) ? "totalConsolidated" : "totalGrouped"));
      default -> out.println("   ^ " + e.encode());
    }
  }

  private static String dmcText(JsonObject dmc) {
    Map<String, Object> m = dmc.getMap();
    return m.get("manufacturer") + "/" + m.get("model") + "/" + m.get("firmware");
  }
}
