package org.csp.edge.bench;

import org.csp.edge.support.FreePort;
import org.csp.edge.support.MosquittoProcess;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of the node's own stack, measured as a third hop: a Vert.x MQTT server that relays every QoS 1 PUBLISH
 * to the bench's Mosquitto with the vertx-mqtt client the node uses upstream, and acknowledges it southbound only
 * after Mosquitto's PUBACK, as the node does. Nothing else: no parsing, no decision, no shared state, no new payload,
 * and no hop between threads (each southbound connection has an upstream connection of its own on its own event
 * loop). What the relay costs above the bare hop is the stack's; what the node costs above the relay is its own.
 *
 * <p>Its own Vert.x instance with the node's defaults: one server instance per core, as {@code mqttInstances}.
 */
final class MqttRelay implements AutoCloseable {
  /** The relayed messages' topics: the subscriber takes {@code relay/#}. */
  static final String TOPIC_PREFIX = "relay/";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** As {@link FeedSubscriber}: a head-end batch of 50 alerts is over Netty's default limit. */
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Vertx vertx;
  private final int port;

  private MqttRelay(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /** {@code window}: the publishers' unacknowledged messages per connection, the relay's upstream window too. */
  static MqttRelay start(MosquittoProcess broker, int window) {
    Vertx vertx = Vertx.vertx();
    int port = FreePort.next();
    int instances = Runtime.getRuntime().availableProcessors();
    try {
      Blocking.await(vertx.deployVerticle(() -> new RelayServer(port, broker.port(), window),
          new DeploymentOptions().setInstances(instances)), START_TIMEOUT);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    return new MqttRelay(vertx, port);
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    Blocking.await(vertx.close(), START_TIMEOUT);
  }

  private static final class RelayServer extends VerticleBase {
    private static final AtomicLong CLIENT_IDS = new AtomicLong();
    private final int port;
    private final int upstreamPort;
    private final int window;

    RelayServer(int port, int upstreamPort, int window) {
      this.port = port;
      this.upstreamPort = upstreamPort;
      this.window = window;
    }

    @Override
    public Future<?> start() {
      return MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(port)
              .setMaxMessageSize(MAX_MESSAGE_BYTES))
          .endpointHandler(this::connected)
          .listen();
    }

    /** The southbound connection is accepted once its upstream connection is up (on this same event loop). */
    private void connected(MqttEndpoint endpoint) {
      endpoint.publishAutoAck(false);
      MqttClient upstream = MqttClient.create(vertx, new MqttClientOptions()
          .setClientId("bench-relay-" + ProcessHandle.current().pid() % 100_000 + "-" + CLIENT_IDS.incrementAndGet())
          .setCleanSession(true)
          .setMaxInflightQueue(window * 2 + 16)
          .setMaxMessageSize(MAX_MESSAGE_BYTES)
          .setAutoKeepAlive(true));
      upstream.connect(upstreamPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
          return;
        }
        new Relaying(endpoint, upstream).start();
        endpoint.accept(false);
      });
    }
  }

  /** One southbound connection and its upstream one; touched only on their shared event loop. */
  private static final class Relaying {
    private final MqttEndpoint endpoint;
    private final MqttClient upstream;
    /** Upstream packet id to the southbound message id it acknowledges. */
    private final Map<Integer, Integer> inflight = new HashMap<>();
    /** PUBACKs that overtook the completion of their own publish future (as in UpstreamPublisher). */
    private final Set<Integer> earlyAcks = new HashSet<>();

    Relaying(MqttEndpoint endpoint, MqttClient upstream) {
      this.endpoint = endpoint;
      this.upstream = upstream;
    }

    void start() {
      endpoint.publishHandler(this::relay);
      // Closed by the publisher (after its DISCONNECT, or not) or by us: the upstream connection goes with it.
      endpoint.closeHandler(v -> {
        if (upstream.isConnected()) upstream.disconnect();
      });
      upstream.publishCompletionHandler(this::acknowledged);
      // A lost upstream loses what is in flight: close southbound, and the publishers report the closed connection.
      upstream.closeHandler(v -> {
        if (endpoint.isConnected()) endpoint.close();
      });
    }

    /** The bench publishes QoS 1 only; QoS 0 passes as QoS 0, anything else is relayed as QoS 1. */
    private void relay(MqttPublishMessage message) {
      MqttQoS qos = message.qosLevel() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
      int southboundId = message.messageId();
      upstream.publish(TOPIC_PREFIX + message.topicName(), message.payload(), qos, false, false).onComplete(ar -> {
        if (ar.failed()) {
          endpoint.close();
        } else if (qos != MqttQoS.AT_MOST_ONCE) {
          if (earlyAcks.remove(ar.result())) endpoint.publishAcknowledge(southboundId);
          else inflight.put(ar.result(), southboundId);
        }
      });
    }

    private void acknowledged(int packetId) {
      Integer southboundId = inflight.remove(packetId);
      if (southboundId == null) earlyAcks.add(packetId);
      else if (endpoint.isConnected()) endpoint.publishAcknowledge(southboundId);
    }
  }
}
