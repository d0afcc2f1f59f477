package org.csp.edge.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One QoS 1 publisher connection: sends its share of the offered rate, at most {@code window} messages unacknowledged,
 * and times each message from publish to PUBACK. Everything runs on the connection's own context; the driver reaches
 * it only through {@link Blocking#onContext}.
 *
 * <p>The PUBACK is matched by packet id ({@code publishCompletionHandler}); the packet id is known only when the publish
 * future completes, so an ack that arrives before that (both happen on this loop, so rarely if ever) is parked until
 * then. Messages are made at the moment they are sent, so {@code raisedAt} is the send time.
 */
final class PublisherConnection {
  private static final AtomicLong CLIENT_IDS = new AtomicLong();
  private static final long NONE = Long.MIN_VALUE;
  private static final int PACKET_IDS = 65_536;

  private final Vertx vertx;
  private final Context context;
  private final PacingTicker ticker;
  /** One tick at a time waits on the context; a busy loop skips ticks rather than queueing them. */
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private final Runnable onTick = this::tick;
  private final String host;
  private final int port;
  private final String topicPrefix;
  private final int window;
  private final long[] sentAt = new long[PACKET_IDS];
  private final int[] alertsOf = new int[PACKET_IDS];
  private final long[] earlyAckAt = new long[PACKET_IDS];
  private MqttClient client;
  private boolean closing;
  private String problem;

  private int inFlight;
  private long messagesSent;
  private long alertsSent;
  private long messagesAcked;
  private long alertsAcked;
  private long alertsFailed;

  private List<PacedStream> paced = List.of();
  private boolean offering;
  private long stepAckedAlerts;
  private long stepAckedMessages;
  private LatencySamples pubackLatency = new LatencySamples();

  PublisherConnection(Vertx vertx, Context context, PacingTicker ticker, String host, int port, String topicPrefix, int window) {
    this.vertx = vertx;
    this.context = context;
    this.ticker = ticker;
    this.host = host;
    this.port = port;
    this.topicPrefix = topicPrefix;
    this.window = window;
    Arrays.fill(sentAt, NONE);
    Arrays.fill(earlyAckAt, NONE);
  }

  Context context() {
    return context;
  }

  /** On the context. */
  Future<Void> connect() {
    MqttClientOptions options = new MqttClientOptions()
        // MQTT 3.1.1 servers may refuse client ids over 23 characters.
        .setClientId("bench-" + ProcessHandle.current().pid() % 100_000 + "-" + CLIENT_IDS.incrementAndGet())
        .setCleanSession(true)
        // Our window bounds what is unacknowledged; the client's own limit must never be what refuses a publish.
        .setMaxInflightQueue(window + 16)
        .setAutoKeepAlive(true);
    client = MqttClient.create(vertx, options);
    client.publishCompletionHandler(this::acknowledged);
    client.closeHandler(v -> {
      if (!closing) problem = "connection to " + host + ":" + port + " closed by the server with " + inFlight + " messages unacknowledged";
    });
    return client.connect(port, host).mapEmpty();
  }

  /** On the context: starts sending the given streams, this connection's share of their rates. */
  void begin(List<StreamShare> shares, int connections) {
    long now = System.nanoTime();
    List<PacedStream> streams = new ArrayList<>(shares.size());
    for (StreamShare s : shares) streams.add(new PacedStream(s, s.alertsPerSecond() / connections, now));
    paced = streams;
    stepAckedAlerts = 0;
    stepAckedMessages = 0;
    offering = true;
    // 1 ms pacing: at tens of thousands of alerts a second a connection sends a few messages per tick.
    ticker.add(onTick);
    pump();
  }

  /** On the context: stops offering; what was due and sent of the scenario's traffic, what was acked meanwhile. */
  StepSend end() {
    long now = System.nanoTime();
    offering = false;
    ticker.remove(onTick);
    double due = 0;
    long sent = 0;
    for (PacedStream s : paced) {
      if (s.catchUp()) {
        due += s.due(now);
        sent += s.sentAlerts();
      }
    }
    return new StepSend(due, sent, stepAckedAlerts, stepAckedMessages);
  }

  /** On the context: the PUBACK latencies recorded since the last call. */
  LatencySamples takeLatencies() {
    LatencySamples taken = pubackLatency;
    pubackLatency = new LatencySamples();
    return taken;
  }

  /** On the context. */
  int inFlight() {
    return inFlight;
  }

  /** On the context. */
  PublisherTotals totals() {
    return new PublisherTotals(messagesSent, alertsSent, messagesAcked, alertsAcked, alertsFailed, problem);
  }

  /** On the context. */
  Future<Void> disconnect() {
    closing = true;
    offering = false;
    ticker.remove(onTick);
    return client != null && client.isConnected() ? client.disconnect() : Future.succeededFuture();
  }

  /** On the pacing thread. */
  private void tick() {
    if (tickQueued.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        tickQueued.set(false);
        pump();
      });
    }
  }

  private void pump() {
    if (!offering || client == null || !client.isConnected()) return;
    long now = System.nanoTime();
    for (PacedStream s : paced) {
      while (inFlight < window && s.owes(now)) publish(s);
    }
  }

  private void publish(PacedStream stream) {
    BenchMessage message = stream.stream().next(MicroClock.nowMicros());
    long t0 = System.nanoTime();
    int alerts = message.alerts();
    stream.sent(alerts);
    inFlight++;
    messagesSent++;
    alertsSent += alerts;
    client.publish(topicPrefix + message.topic(), Buffer.buffer(message.payload()), MqttQoS.AT_LEAST_ONCE, false, false)
        .onComplete(ar -> written(ar, t0, alerts));
  }

  private void written(AsyncResult<Integer> ar, long t0, int alerts) {
    if (ar.failed()) {
      inFlight--;
      alertsFailed += alerts;
      if (problem == null) problem = "publish failed: " + ar.cause().getMessage();
      return;
    }
    int id = ar.result();
    if (earlyAckAt[id] != NONE) {
      long at = earlyAckAt[id];
      earlyAckAt[id] = NONE;
      acked(at - t0, alerts);
    } else {
      sentAt[id] = t0;
      alertsOf[id] = alerts;
    }
  }

  private void acknowledged(int packetId) {
    long now = System.nanoTime();
    long t0 = sentAt[packetId];
    if (t0 == NONE) {
      earlyAckAt[packetId] = now;
      return;
    }
    sentAt[packetId] = NONE;
    acked(now - t0, alertsOf[packetId]);
  }

  private void acked(long latencyNanos, int alerts) {
    inFlight--;
    messagesAcked++;
    alertsAcked += alerts;
    if (offering) {
      stepAckedAlerts += alerts;
      stepAckedMessages++;
    }
    pubackLatency.add(latencyNanos / 1_000);
    pump();
  }
}
