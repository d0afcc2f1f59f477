package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
@Command(name = "demo", description = {"Run a node on embedded defaults and show a storm being consolidated.",
    "The node keeps running afterwards (Ctrl-C stops it) unless --exit."})
final class DemoCommand implements Callable<Integer> {
  @Mixin
  CommandLines.Help help;
  @Option(names = "--exit", description = "Stop the node and exit when the demo is over.")
  boolean exit;
  private final PrintStream out;

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    return run(exit, out);
  }

  private static final List<String> SCENARIOS = List.of("healthy", "gpf-8f3e", "voltage", "power-restore", "counter-resend", "bad-input");

  private static final int HEALTHY_RATE = 200;
  /** Short, so that the feed's accounting (each boot's last heartbeat) catches up within seconds of the last storm. */
  private static final String HEARTBEAT_INTERVAL = "2s";
  /** Heartbeats the demo waits, at most, for the equation to hold from the feed. */
  private static final int HEARTBEATS_TO_WAIT = 3;

  /** One heartbeat line in this many: they come every 2 s. */
  private static final int HEARTBEATS_SHOWN_EVERY = 10;

  static int run(boolean exit, PrintStream out) throws Exception {
    DemoDataDirectory dataDirectory = DemoDataDirectory.choose(System.getenv());
    JsonObject demo = new JsonObject()
        .put("node", new JsonObject().put("region", "central").put("id", "demo").put("statusLogInterval", "5s")
            .put("heartbeatInterval", HEARTBEAT_INTERVAL).put("dataDir", dataDirectory.path().toString()))
        .put("policy", new JsonObject().put("defaults", new JsonObject().put("summaryPeriod", "5s")
            .put("quietPeriod", "5s").put("stormWindow", "10s").put("regionalWindow", "5s")
            .put("regionalThreshold", 200).put("regionalRelease", 20).put("groupWait", "1s")
            // The demo's power restoration comes seconds after the start: no background learned yet, so the fixed figure.
            .put("regionalDetection", "threshold")));
    NodeConfig config = ConfigLoader.fromJson(demo, System.getenv());
    Node node = Node.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Vertx vertx = Vertx.vertx();
    String feedTopic = config.topicPrefix() + "#";
    out.printf("%n== CSP edge node demo: region %s, MQTT intake tcp://%s:%d, HTTP http://%s:%d%n", config.region(),
        config.bindHost(), config.mqttPort(), config.bindHost(), node.httpPort());
    out.printf("== the consolidated feed goes to the embedded broker: subscribe with%n"
        + "     mosquitto_sub -h %s -p %d -t '%s' -v%n", config.embeddedBroker().host(), node.upstreamPort(), feedTopic);
    out.printf("== data directory %s (%s)%n%n", config.dataDir(),
        dataDirectory.ownedByDemo() ? "new for this demo, removed when it ends" : "NODE_DATA_DIR, kept");

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
    // From the feed alone, as a DSP checks it (verify): events once per eventId, the last heartbeat's duplicates
    // and rejected; the next heartbeats bring the totals up to date.
    FeedAccounting.Check check = VerifyCommand.waitForEquation(feed.accounting(), sent,
        config.heartbeatInterval().multipliedBy(HEARTBEATS_TO_WAIT));
    boolean holds = check.holds();
    out.printf("%n== accounting (wire format), from the feed alone: sum(count of northbound events) + duplicates"
        + " (last heartbeat) + rejected (last heartbeat) = alerts sent%n");
    out.printf("   %d + %d + %d = %d   (simulator sent %d)   %s%n", check.counted(), check.duplicates(),
        check.rejected(), check.total(), sent, holds ? "HOLDS" : "DOES NOT HOLD");
    out.print(check.toText());
    JsonObject status = node.status().toJson();
    out.printf("   expected duplicates %d, rejected %d; the node's API says rejected by reason %s%n", expectedDuplicates,
        expectedRejected, status.getJsonObject("rejectedByReason").encode());
    out.printf("   %d alerts in, %d events upstream (%.1f per 1000 alerts)%n", sent, feed.events(),
        1000.0 * feed.events() / sent);

    if (exit) {
      feed.close();
      vertx.close();
      node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      dataDirectory.removeIfOwned();
      return holds ? 0 : 1;
    }
    out.printf("%n== the node keeps running (status: curl http://%s:%d/v1/status); Ctrl+C stops it%n",
        config.bindHost(), node.httpPort());
    Main.stopOnSignal(node, config, dataDirectory::removeIfOwned);
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
      case "heartbeat" -> {
        if (e.getBoolean("final", false) || e.getLong("sequence", 0L) % HEARTBEATS_SHOWN_EVERY == 1) {
          out.printf("   ^ heartbeat   node %s boot %s received=%d duplicates=%d rejected=%d%n", e.getString("nodeId"),
              e.getString("bootId"), e.getLong("received"), e.getLong("duplicates"), e.getLong("rejected"));
        }
      }
      default -> out.println("   ^ " + e.encode());
    }
  }

  private static String dmcText(JsonObject dmc) {
    Map<String, Object> m = dmc.getMap();
    return m.get("manufacturer") + "/" + m.get("model") + "/" + m.get("firmware");
  }
}
