package org.csp.edge.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The far side of a hop: one QoS 1 subscription on the upstream Mosquitto, as the DSP would have. The arrival time is
 * taken first thing in the handler. The broker is configured never to drop queued QoS 1 messages, so a subscriber
 * that falls behind shows as lag (see {@link StepRunner}), not as loss.
 */
final class FeedSubscriber implements AutoCloseable {
  /** Netty's decoder default is 8092 bytes; a group event listing 500 hubs or a bare batch of 50 alerts is larger. */
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  private static final AtomicLong CLIENT_IDS = new AtomicLong();

  private final Vertx vertx;
  private final Context context;
  private final FeedReading reading;
  private MqttClient client;
  private volatile String problem;
  private volatile boolean closing;

  private FeedSubscriber(Vertx vertx, Context context, FeedReading reading) {
    this.vertx = vertx;
    this.context = context;
    this.reading = reading;
  }

  static FeedSubscriber start(Vertx vertx, Context context, String host, int port, String topicFilter,
      FeedReading reading) {
    FeedSubscriber s = new FeedSubscriber(vertx, context, reading);
    Blocking.await(Blocking.onContext(context, () -> s.connect(host, port, topicFilter)), Duration.ofSeconds(10));
    return s;
  }

  private Future<Void> connect(String host, int port, String topicFilter) {
    client = MqttClient.create(vertx, new MqttClientOptions()
        .setClientId("bench-feed-" + ProcessHandle.current().pid() % 100_000 + "-" + CLIENT_IDS.incrementAndGet())
        .setCleanSession(true)
        .setMaxMessageSize(MAX_MESSAGE_BYTES)
        .setAutoKeepAlive(true));
    client.publishHandler(m -> reading.read(m.payload(), MicroClock.nowMicros()));
    client.closeHandler(v -> {
      if (!closing) problem = "the subscription to " + topicFilter + " was closed by the broker";
    });
    // subscribe()'s future completes when the SUBSCRIBE is written; only the SUBACK means messages will come.
    Promise<Void> subscribed = Promise.promise();
    client.subscribeCompletionHandler(ack -> subscribed.tryComplete());
    return client.connect(port, host)
        .compose(ack -> client.subscribe(topicFilter, MqttQoS.AT_LEAST_ONCE.value()))
        .compose(id -> subscribed.future());
  }

  FeedCounts counts() {
    return Blocking.onContext(context, reading::counts);
  }

  LatencySamples takeLatencies() {
    return Blocking.onContext(context, reading::takeLatencies);
  }

  String problem() {
    return problem;
  }

  @Override
  public void close() {
    closing = true;
    try {
      Blocking.await(Blocking.onContext(context,
          () -> client != null && client.isConnected() ? client.disconnect() : Future.<Void>succeededFuture()),
          Duration.ofSeconds(5));
    } catch (BenchException e) {
      // Already gone.
    }
  }
}
