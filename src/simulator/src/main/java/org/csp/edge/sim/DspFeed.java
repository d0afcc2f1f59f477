package org.csp.edge.sim;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A DSP stand-in, for the demo and the tests: subscribes to the node's northbound feed with QoS 1 on a persistent session, reconnects by
 * itself, and counts every event once per eventId, as the wire format says the DSP does.
 */
public final class DspFeed implements AutoCloseable {
  /** Netty's decoder default is 8092 bytes; a group event listing hundreds of hubs is larger. */
  private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final String topicFilter;
  private final String clientId;
  private final FeedAccounting accounting = new FeedAccounting();
  private final Map<String, JsonObject> firstCopies = new ConcurrentHashMap<>();
  private final List<String> repeatsThatDiffer = new CopyOnWriteArrayList<>();
  private final AtomicInteger messages = new AtomicInteger();
  private final AtomicInteger repeats = new AtomicInteger();
  private volatile MqttClient client;
  private volatile boolean closed;
  private volatile Consumer<JsonObject> onFirstCopy = e -> {};
  private final AtomicInteger connectAttempts = new AtomicInteger();
  private final AtomicInteger subscribedSessions = new AtomicInteger();
  private volatile String lastFailure = "none";

  public DspFeed(Vertx vertx, String host, int port, String topicFilter) {
    this(vertx, host, port, topicFilter, "test-dsp-" + System.nanoTime());
  }

  /** With a client id of the caller's: the broker keeps that session (and what arrives for it) between runs. */
  public DspFeed(Vertx vertx, String host, int port, String topicFilter, String clientId) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.topicFilter = topicFilter;
    this.clientId = clientId;
  }

  public Future<Void> start() {
    connectAttempts.incrementAndGet();
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId(clientId).setCleanSession(false)
        .setMaxMessageSize(MAX_EVENT_BYTES).setAutoKeepAlive(true));
    c.publishHandler(m -> {
      messages.incrementAndGet();
      JsonObject event = m.payload().toJsonObject();
      event.put("_topic", m.topicName());
      accounting.add(event);
      // Status messages (no eventId) and heartbeats (count 0) are the feed's accounting, not events to count here.
      if (event.getString("eventId") == null) return;
      if ("heartbeat".equals(event.getString("type"))) {
        onFirstCopy.accept(event);
        return;
      }
      JsonObject first = firstCopies.putIfAbsent(event.getString("eventId"), event);
      if (first == null) {
        onFirstCopy.accept(event);
      } else {
        repeats.incrementAndGet();
        if (!first.getInteger("count").equals(event.getInteger("count")) || !first.getString("type").equals(event.getString("type"))) {
          repeatsThatDiffer.add(event.getString("eventId"));
        }
      }
    });
    // subscribe() completes when the SUBSCRIBE is written; only the SUBACK means events will reach us.
    io.vertx.core.Promise<Void> subscribed = io.vertx.core.Promise.promise();
    c.closeHandler(v -> {
      if (client == c) {
        // An established feed was lost: connect again (a persistent session keeps what arrived meanwhile).
        client = null;
        if (!closed) vertx.setTimer(200, id -> start());
      } else {
        // Closed before the SUBACK (seen with Moquette right after it started): this start() retries, once.
        subscribed.tryFail(new IllegalStateException("connection closed before the SUBACK"));
      }
    });
    c.subscribeCompletionHandler(ack -> subscribed.tryComplete());
    return c.connect(port, host)
        .compose(ack -> c.subscribe(topicFilter, MqttQoS.AT_LEAST_ONCE.value()))
        .compose(id -> subscribed.future())
        .<Void>map(x -> {
          client = c;
          subscribedSessions.incrementAndGet();
          return null;
        })
        .recover(e -> {
          lastFailure = e.toString();
          if (closed) return Future.succeededFuture();
          Future<Void> retry = Future.future(p -> vertx.setTimer(200, id -> start().onComplete(p)));
          return retry;
        });
  }

  /** For a test's failure message: whether the feed is subscribed, and how it got there. */
  public String state() {
    MqttClient c = client;
    return "feed " + clientId + ": " + (c != null && c.isConnected() ? "subscribed" : "not subscribed") + ", "
        + connectAttempts.get() + " connection attempts, " + subscribedSessions.get() + " subscribed, "
        + messages.get() + " messages, last failure " + lastFailure;
  }

  /** The accounting equation as the feed alone shows it: events once per eventId, each boot's last heartbeat. */
  public FeedAccounting accounting() {
    return accounting;
  }

  /** Called with each event the first time its eventId arrives, and with each heartbeat. */
  public DspFeed onEvent(Consumer<JsonObject> listener) {
    this.onFirstCopy = listener;
    return this;
  }

  /** Sum of {@code count} over distinct events: what the node says it accounted for upstream. */
  public long countedAlerts() {
    return firstCopies.values().stream().mapToLong(e -> e.getInteger("count")).sum();
  }

  public long events() {
    return firstCopies.size();
  }

  public long eventsOfType(String type) {
    return firstCopies.values().stream().filter(e -> type.equals(e.getString("type"))).count();
  }

  public List<JsonObject> all() {
    return List.copyOf(firstCopies.values());
  }

  public int messages() {
    return messages.get();
  }

  public int repeats() {
    return repeats.get();
  }

  public List<String> repeatsThatDiffer() {
    return repeatsThatDiffer;
  }

  @Override
  public void close() {
    closed = true;
    MqttClient c = client;
    if (c != null && c.isConnected()) c.disconnect();
  }
}
