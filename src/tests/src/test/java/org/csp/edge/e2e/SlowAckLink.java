package org.csp.edge.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A TCP hop between the node and the DSP's broker that holds every answer of the broker (CONNACK, PUBACK) for a
 * while before passing it on, in order: with the node's {@code upstream.maxInflight} at 1, a congested link of a
 * known rate, whichever broker is behind it.
 */
final class SlowAckLink implements AutoCloseable {
  private final Vertx vertx;
  private final int brokerPort;
  private final long delayMillis;
  private NetServer server;
  private NetClient client;

  SlowAckLink(Vertx vertx, int brokerPort, Duration delay) {
    this.vertx = vertx;
    this.brokerPort = brokerPort;
    this.delayMillis = delay.toMillis();
  }

  /** The port the node connects to. */
  int start() throws Exception {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::link);
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private void link(NetSocket node) {
    node.pause();
    client.connect(brokerPort, "127.0.0.1").onSuccess(broker -> {
      node.handler(broker::write);
      // Timers of the same delay fire in the order they were set: the answers keep their order.
      broker.handler(answer -> vertx.setTimer(delayMillis, id -> node.write(answer)));
      node.closeHandler(v -> broker.close());
      broker.closeHandler(v -> vertx.setTimer(delayMillis, id -> node.close()));
      node.resume();
    }).onFailure(e -> node.close());
  }

  @Override
  public void close() throws Exception {
    if (server != null) server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (client != null) client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
