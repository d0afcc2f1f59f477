package org.csp.edge.support;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.csp.edge.upstream.EmbeddedBroker;

/**
 * The node's own embedded broker (Moquette) as the DSP's broker, where Mosquitto is not installed. It keeps no
 * sessions across a restart, so it starts once: a test that restarts the broker needs Mosquitto.
 */
final class EmbeddedDspBroker implements DspBroker {
  /** MQTT's own limit on a packet, as Mosquitto's default: a test's broker never refuses a message for its size. */
  private static final int MAX_MESSAGE_BYTES = 268_435_455;
  private static final long TIMEOUT_SECONDS = 30;

  private final int port = FreePort.next();
  private final EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, MAX_MESSAGE_BYTES);
  private Vertx vertx;
  private boolean started;
  private boolean running;

  @Override
  public DspBroker start() {
    if (started) {
      Mosquitto.require("a broker restarted with its sessions and queued messages; the embedded one keeps none");
    }
    vertx = Vertx.vertx();
    await(broker.start(vertx).mapEmpty());
    started = true;
    running = true;
    return this;
  }

  @Override
  public void stop() {
    if (!running) return;
    running = false;
    await(broker.stop(vertx));
    await(vertx.close());
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stop();
  }

  private static void await(io.vertx.core.Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("embedded test broker: " + e.getMessage(), e);
    }
  }
}
