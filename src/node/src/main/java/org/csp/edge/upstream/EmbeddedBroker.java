package org.csp.edge.upstream;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker a node publishes to when no DSP broker is configured, so the default run needs nothing else:
 * Moquette, in this process, on loopback by default. A DSP (or a person) subscribes to it like to any broker.
 * Why Moquette: src/docs/design.md, "Embedded broker".
 */
public final class EmbeddedBroker {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private final String host;
  private final int port;
  private final int maxMessageBytes;
  private Server server;

  /** @param port a fixed port: Moquette does not report the port it bound, so 0 (any free port) is refused */
  public EmbeddedBroker(String host, int port, int maxMessageBytes) {
    if (port <= 0) throw new org.csp.edge.config.ConfigException("embeddedBroker.port must be a fixed port, was " + port);
    this.host = host;
    this.port = port;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Starts on a worker thread: Moquette binds its ports synchronously. */
  public Future<Integer> start(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      Properties p = new Properties();
      p.setProperty(IConfig.HOST_PROPERTY_NAME, host);
      p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
      p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
      p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
      p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
      p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(maxMessageBytes));
      Server s = new Server();
      s.startServer(new MemoryConfig(p), List.of());
      server = s;
      log.info("embedded upstream broker listening on tcp://{}:{} (subscribe to the feed there)", host, port);
      return port;
    }).recover(e -> Future.failedFuture(new IllegalStateException("the embedded broker cannot listen on " + host + ":"
        + port + " (embeddedBroker.port, NODE_EMBEDDED_BROKER_PORT): " + e.getMessage(), e)));
  }

  public Future<Void> stop(Vertx vertx) {
    Server s = server;
    server = null;
    if (s == null) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      s.stopServer();
      return null;
    });
  }
}
