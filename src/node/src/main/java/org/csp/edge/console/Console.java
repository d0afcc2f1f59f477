package org.csp.edge.console;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.ops.NodeStatus;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.Principal;

/**
 * The console's routes on the HTTP API: its page and files at {@code /} and {@code /console/}, the caller's name and
 * role ({@code GET /v1/caller}, what the sign-in checks a token with), and the live stream ({@code GET /v1/live}).
 * The other pages (analysis, control) read and change the node through the API's own paths only.
 */
public final class Console {
  static final String CALLER_PATH = "/v1/caller";

  private final NodeConfig.Console config;
  private final ConsoleFiles files;
  private final LiveStream live;

  public Console(NodeConfig.Console config, NodeStatus status, NodeStats stats, OwnedHubs owned) {
    this.config = config;
    this.files = config.enabled() ? new ConsoleFiles() : null;
    this.live = new LiveStream(new LiveFeed(status, stats, owned, config.liveTop()), config.liveInterval(),
        config.liveMaxSubscribers());
  }

  /** The routes, on the API's router (after its guard). The caller and the stream are API paths: always there. */
  public void mount(Router router) {
    router.get(CALLER_PATH).handler(rc -> {
      Principal p = rc.get(HttpGuard.PRINCIPAL);
      JsonObject body = new JsonObject().put("name", p.name()).put("role", rc.<String>get(HttpGuard.ROLE))
          .put("method", p.method().name().toLowerCase(java.util.Locale.ROOT));
      rc.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body.encode());
    });
    router.get(LiveStream.PATH).handler(live::handle);
    if (config.enabled()) files.mount(router);
  }

  /** The stream's own figures: subscribers now, bytes sent, updates a slow subscriber missed. */
  public void bindMetrics(MeterRegistry registry) {
    Gauge.builder("csp.console.live.subscribers", live, LiveStream::subscribers).strongReference(true)
        .description("Live streams (GET /v1/live) open now").register(registry);
    FunctionCounter.builder("csp.console.live.sent.bytes", live, LiveStream::bytesSent)
        .description("Bytes sent on the live streams since start").register(registry);
    FunctionCounter.builder("csp.console.live.missed", live, LiveStream::updatesMissed)
        .description("Live updates not sent to a subscriber that had not taken the previous one").register(registry);
    FunctionCounter.builder("csp.console.live.given.way", live, LiveStream::streamsGivenWay)
        .description("Live streams ended so that another caller had its share").register(registry);
  }
}
