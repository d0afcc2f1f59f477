package org.csp.edge.upstream;

import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to the DSP's broker with QoS 1. An event leaves the outbox only on the broker's PUBACK; on a
 * lost connection or an ack time-out the events in flight are sent again, byte for byte (same event id). There
 * is no reconnect in vertx-mqtt: this verticle reconnects with exponential backoff from the close handler.
 */
public final class UpstreamPublisher extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UpstreamPublisher.class);

  private final NodeConfig.Upstream config;
  private final NodeConfig.UpstreamTls tls;
  private final String host;
  private final int port;
  private final Outbox outbox;
  private final NodeStats stats;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  /** Sent, PUBACK not yet seen, in send order. Touched only on this verticle's context. */
  private final Map<Integer, InFlight> inflight = new LinkedHashMap<>();
  private final Timer publishLatency;

  private record InFlight(UpstreamEvent event, long sentAtNanos) {}
  /** PUBACKs that overtook the completion of their own publish future. */
  private final Set<Integer> earlyAcks = new HashSet<>();
  private int sending;
  private MqttClient client;
  private volatile boolean connected;
  private boolean stopping;
  private Duration backoff;
  private long reconnectTimer = -1;
  private int failedAttempts;
  /** Set after a publish failed on a live connection: draining waits a moment instead of spinning. */
  private boolean holdingOff;

  public UpstreamPublisher(NodeConfig.Upstream config, NodeConfig.UpstreamTls tls, String host, int port, Outbox outbox,
      NodeStats stats, Timer publishLatency) {
    this.config = config;
    this.tls = tls;
    this.publishLatency = publishLatency;
    this.host = host;
    this.port = port;
    this.outbox = outbox;
    this.stats = stats;
    this.backoff = config.reconnectMin();
  }

  @Override
  public Future<?> start() {
    outbox.onOffer(() -> {
      if (drainScheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          drainScheduled.set(false);
          drain();
        });
      }
    });
    // The node starts even when the broker is down: events wait in the outbox and back-pressure protects it.
    connect();
    return Future.succeededFuture();
  }

  public boolean connected() {
    return connected;
  }

  public String target() {
    return (config.url() == null ? "tcp" : config.url().getScheme()) + "://" + host + ":" + port;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (reconnectTimer >= 0) vertx.cancelTimer(reconnectTimer);
    requeueInflight();
    connected = false;
    MqttClient c = client;
    client = null;
    return c == null || !c.isConnected() ? Future.succeededFuture() : c.disconnect().recover(e -> Future.succeededFuture());
  }

  private void connect() {
    MqttClientOptions options = new MqttClientOptions()
        .setClientId(config.clientId())
        .setCleanSession(true) // redelivery is ours: the outbox resends whatever was in flight
        // Headroom over our own window: the client counts an expired packet until it learns of it.
        .setMaxInflightQueue(config.maxInflight() * 2)
        .setAckTimeout((int) Math.max(1, config.ackTimeout().toSeconds()))
        .setAutoKeepAlive(true)
        .setKeepAliveInterval(30)
        .setMaxMessageSize(-1);
    if (config.url() != null && "ssl".equals(config.url().getScheme())) TlsFiles.apply(options, tls);
    if (config.username() != null) {
      options.setUsername(config.username());
      if (config.passwordFile() != null) options.setPassword(readPassword());
      else if (tls.password() != null) options.setPassword(tls.password().reveal());
    }
    MqttClient c = MqttClient.create(vertx, options);
    c.publishCompletionHandler(this::acknowledged);
    c.publishCompletionExpirationHandler(this::expired);
    c.closeHandler(v -> lost(c));
    c.exceptionHandler(e -> log.debug("upstream connection error: {}", e.toString()));
    c.connect(port, host).onComplete(ar -> {
      if (stopping) {
        c.disconnect();
        return;
      }
      if (ar.succeeded()) {
        client = c;
        connected = true;
        backoff = config.reconnectMin();
        if (failedAttempts > 0) log.info("upstream broker {} connected again after {} attempts", target(), failedAttempts);
        else log.info("upstream broker {} connected", target());
        failedAttempts = 0;
        drain();
      } else {
        failedAttempts++;
        if (failedAttempts == 1 || failedAttempts % 20 == 0) {
          log.warn("upstream broker {} unreachable ({}); {} events wait in the outbox; retrying with backoff",
              target(), ar.cause().getMessage(), outbox.depth());
        }
        scheduleReconnect();
      }
    });
  }

  private void lost(MqttClient c) {
    if (c != client) return;
    client = null;
    connected = false;
    int resend = inflight.size();
    requeueInflight();
    if (!stopping) {
      log.warn("upstream broker {} connection lost; {} events in flight will be sent again, {} wait in the outbox",
          target(), resend, outbox.depth());
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    Duration wait = backoff;
    backoff = backoff.multipliedBy(2).compareTo(config.reconnectMax()) > 0 ? config.reconnectMax() : backoff.multipliedBy(2);
    reconnectTimer = vertx.setTimer(wait.toMillis(), id -> {
      reconnectTimer = -1;
      if (!stopping) connect();
    });
  }

  private void requeueInflight() {
    if (inflight.isEmpty()) return;
    stats.eventsResent.add(inflight.size());
    outbox.requeue(inflight.values().stream().map(InFlight::event).toList());
    inflight.clear();
    earlyAcks.clear();
  }

  private void drain() {
    MqttClient c = client;
    while (connected && !holdingOff && c != null && inflight.size() + sending < config.maxInflight()) {
      UpstreamEvent event = outbox.poll();
      if (event == null) return;
      sending++;
      long sentAt = System.nanoTime();
      c.publish(event.topic(), event.payload(), MqttQoS.AT_LEAST_ONCE, false, false).onComplete(ar -> {
        sending--;
        if (ar.failed() || c != client) {
          // Not sent (or its connection is gone): back to the front, and no new publish until a retry delay
          // has passed or the connection is re-established; retrying at once would spin on the event loop.
          outbox.requeue(List.of(event));
          holdOff(ar.failed() ? ar.cause().toString() : "connection replaced");
        } else if (earlyAcks.remove(ar.result())) {
          delivered(new InFlight(event, sentAt));
        } else {
          inflight.put(ar.result(), new InFlight(event, sentAt));
        }
      });
    }
  }

  private void holdOff(String why) {
    if (holdingOff) return;
    holdingOff = true;
    log.debug("publish failed ({}); retrying in {}", why, config.reconnectMin());
    vertx.setTimer(config.reconnectMin().toMillis(), id -> {
      holdingOff = false;
      drain();
    });
  }

  private void acknowledged(int packetId) {
    InFlight event = inflight.remove(packetId);
    if (event == null) {
      earlyAcks.add(packetId);
      return;
    }
    delivered(event);
    drain();
  }

  private void delivered(InFlight sent) {
    publishLatency.record(System.nanoTime() - sent.sentAtNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    outbox.delivered(sent.event());
    stats.eventsDelivered.increment();
    sent.event().afterDelivery().run();
  }

  private void expired(int packetId) {
    InFlight sent = inflight.remove(packetId);
    if (sent != null) {
      log.warn("no PUBACK for event {} within {}; it will be sent again", sent.event().eventId(), config.ackTimeout());
      stats.eventsResent.increment();
      outbox.requeue(List.of(sent.event()));
      drain();
    }
  }

  private String readPassword() {
    try {
      return Files.readString(config.passwordFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the upstream password file " + config.passwordFile() + ": " + e.getMessage(), e);
    }
  }
}
