package org.csp.edge.sim;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes to the node's MQTT server over several connections used in turn.
 *
 * <p>For QoS 1 a message counts as delivered only on its PUBACK ({@code publishCompletionHandler}): the
 * publish future merely says the bytes went out. Each connection keeps at most {@code maxInflight}
 * messages unacknowledged, which is also its client's {@code maxInflightQueue}, so the client never
 * refuses a publish. A node under back-pressure may hold PUBACKs for a long time: the transport just
 * waits, however long (the run's timeout is the only limit).
 *
 * <p>A message the node will never acknowledge is sent again, with the DUP flag: after its connection
 * closed (then on a new connection), and when a later message on the same connection is acknowledged
 * first: MQTT 3.1.1 requires PUBACKs in the order of the PUBLISHes [MQTT-4.6.0-2], so a skipped PUBACK
 * means the node did not take the message (it withholds the ack of what it could not record). A message
 * is still one message in the report, with its resends counted apart; if the node had in fact counted
 * a message before losing the connection, its resend reaches the node as a duplicate header.
 *
 * <p>The client's {@code maxMessageSize} only limits what it decodes (the broker's acks); an outgoing
 * message of any size is encoded, so oversized inputs need no setting here.
 */
public final class MqttTransport implements SimTransport {

  /** Attempts per message before it is given up as unconfirmed (a node that keeps dropping it). */
  static final int MAX_ATTEMPTS = 5;
  private static final int SKIPPED_ACK_ALLOWANCE = 100_000;
  private static final long MAX_RECONNECT_DELAY_MS = 5_000;
  private static final AtomicLong CLIENT_IDS = new AtomicLong();

  private final Vertx vertx;
  private final String host;
  private final List<Integer> ports;
  private final MqttQoS qos;
  private final int maxInflight;
  private final List<Connection> connections = new ArrayList<>();
  /** Messages to send again; they go before any new message. */
  private final Deque<Pending> resends = new ArrayDeque<>();
  private Runnable readyHandler = () -> { };
  private int cursor;
  private boolean closing;

  public MqttTransport(Vertx vertx, String host, int port, int qos, int connections, int maxInflight) {
    this(vertx, host, List.of(port), qos, connections, maxInflight);
  }

  /** Connection i goes to {@code ports[i mod n]}: round-robin over the nodes of a cluster. */
  public MqttTransport(Vertx vertx, String host, List<Integer> ports, int qos, int connections, int maxInflight) {
    this.vertx = vertx;
    this.host = host;
    this.ports = List.copyOf(ports);
    this.qos = qos == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
    this.maxInflight = maxInflight;
    for (int i = 0; i < connections; i++) {
      this.connections.add(new Connection(i));
    }
  }

  public static MqttTransport of(Vertx vertx, SimOptions options) {
    return new MqttTransport(vertx, options.host(), options.mqttPorts(), options.qos(), options.connections(),
      options.maxInflight());
  }

  @Override
  public Future<Void> start() {
    List<Future<Void>> connecting = connections.stream().map(Connection::connect).toList();
    return Future.all(connecting).<Void>mapEmpty()
      .recover(err -> Future.failedFuture("cannot connect to the node's MQTT server at " + target() + ": "
        + err.getMessage()));
  }

  @Override
  public boolean ready() {
    return resends.isEmpty() && roomy() != null;
  }

  @Override
  public Future<Delivery> send(SimMessage message) {
    Pending pending = new Pending(message);
    Connection connection = roomy();
    if (connection == null) {
      resends.add(pending); // not ready: it waits its turn like a resend (not counted as one)
    } else {
      connection.publish(pending);
    }
    return pending.promise.future();
  }

  /** The next connection in turn with room in its window, or null. */
  private Connection roomy() {
    for (int i = 0; i < connections.size(); i++) {
      Connection connection = connections.get(cursor);
      cursor = (cursor + 1) % connections.size();
      if (connection.hasRoom()) {
        return connection;
      }
    }
    return null;
  }

  private void sendAgain(Pending pending, String why) {
    if (closing || pending.attempts >= MAX_ATTEMPTS) {
      pending.fail(why + (closing ? "" : " (" + pending.attempts + " attempts)"));
      return;
    }
    resends.add(pending);
  }

  /** Resends go out first, as room allows; then the simulator may send new messages. */
  private void drainResends() {
    Connection connection;
    while (!resends.isEmpty() && (connection = roomy()) != null) {
      connection.publish(resends.poll());
    }
    if (resends.isEmpty() && roomy() != null) {
      readyHandler.run();
    }
  }

  @Override
  public void readyHandler(Runnable handler) {
    this.readyHandler = handler;
  }

  @Override
  public int inFlight() {
    return connections.stream().mapToInt(c -> c.inFlight).sum() + resends.size();
  }

  @Override
  public String target() {
    return "mqtt://" + host + ":" + ports.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + " (QoS " + qos.value() + ", " + connections.size() + " connections)";
  }

  @Override
  public Future<Void> close() {
    closing = true;
    List<Pending> left = new ArrayList<>(resends);
    resends.clear();
    left.forEach(p -> p.fail("the run ended before it could be sent again"));
    return Future.join(connections.stream().map(Connection::disconnect).toList()).mapEmpty();
  }

  /** One message until the node has answered for it, across attempts. */
  private static final class Pending {
    final SimMessage message;
    final Promise<Delivery> promise = Promise.promise();
    int attempts;
    boolean done;

    Pending(SimMessage message) {
      this.message = message;
    }

    void confirm() {
      if (!done) {
        done = true;
        promise.complete(Delivery.mqttConfirmed(attempts - 1));
      }
    }

    void fail(String why) {
      if (!done) {
        done = true;
        promise.complete(Delivery.failed(why, Math.max(0, attempts - 1)));
      }
    }
  }

  /** One attempt on one connection: its place in the connection's order, and its packet id once written. */
  private static final class Attempt {
    final Pending pending;
    final long sequence;
    boolean over;

    Attempt(Pending pending, long sequence) {
      this.pending = pending;
      this.sequence = sequence;
    }
  }

  /** One client connection with its own window of unacknowledged messages. */
  private final class Connection {
    private final int index;
    private MqttClient client;
    private boolean up;
    private int inFlight;
    private long sequence;
    private long reconnectDelayMs = 250;
    private boolean reconnectPending;
    /** Written and waiting for the PUBACK, in publish order. */
    private final Map<Integer, Attempt> awaitingAck = new LinkedHashMap<>();
    private final Set<Attempt> unwritten = new LinkedHashSet<>();
    // A PUBACK seen before the publish future handed us its packet id (defensive: both run on one loop).
    private final Set<Integer> earlyAcks = new HashSet<>();

    Connection(int index) {
      this.index = index;
    }

    int port() {
      return ports.get(index % ports.size());
    }

    boolean hasRoom() {
      return up && inFlight < maxInflight;
    }

    Future<Void> connect() {
      MqttClientOptions options = new MqttClientOptions()
        // At most 23 characters: MQTT 3.1.1 servers (vertx-mqtt's included) may refuse longer client ids.
        .setClientId("storm-" + ProcessHandle.current().pid() % 10_000_000 + "-" + CLIENT_IDS.incrementAndGet() % 100_000)
        .setCleanSession(true)
        // Our own window bounds what is unacknowledged. The client's limit is set above it because a PUBACK the
        // node skips stays counted inside the client for good, and would otherwise end in "queue full".
        .setMaxInflightQueue(maxInflight + SKIPPED_ACK_ALLOWANCE)
        .setAutoKeepAlive(true);
      MqttClient c = MqttClient.create(vertx, options);
      c.publishCompletionHandler(this::acknowledged);
      c.closeHandler(v -> closed(c));
      client = c;
      return c.connect(port(), host).map(ack -> {
        up = true;
        reconnectDelayMs = 250;
        return null;
      });
    }

    void publish(Pending pending) {
      Attempt attempt = new Attempt(pending, sequence++);
      boolean again = pending.attempts++ > 0;
      inFlight++;
      unwritten.add(attempt);
      SimMessage message = pending.message;
      client.publish(message.topic(), Buffer.buffer(message.payload()), qos, again, false).onComplete(ar -> {
        if (!unwritten.remove(attempt)) {
          return; // the connection closed meanwhile and already dealt with it
        }
        if (ar.failed()) {
          end(attempt);
          sendAgain(pending, "publish failed: " + ar.cause().getMessage());
          drainResends();
        } else if (qos == MqttQoS.AT_MOST_ONCE || earlyAcks.remove(ar.result())) {
          end(attempt);
          pending.confirm();
        } else {
          awaitingAck.put(ar.result(), attempt);
        }
      });
    }

    private void acknowledged(int packetId) {
      Attempt attempt = awaitingAck.remove(packetId);
      if (attempt == null) {
        earlyAcks.add(packetId);
        return;
      }
      end(attempt);
      attempt.pending.confirm();
      // Acknowledged out of order: whatever was published before it here will never be acknowledged.
      for (Iterator<Attempt> it = awaitingAck.values().iterator(); it.hasNext(); ) {
        Attempt earlier = it.next();
        if (earlier.sequence < attempt.sequence) {
          it.remove();
          end(earlier);
          sendAgain(earlier.pending, "the node skipped its PUBACK");
        }
      }
      drainResends();
    }

    private void end(Attempt attempt) {
      if (!attempt.over) {
        attempt.over = true;
        inFlight--;
      }
    }

    private void closed(MqttClient which) {
      if (which != client) {
        return;
      }
      up = false;
      List<Attempt> lost = new ArrayList<>(awaitingAck.values());
      lost.addAll(unwritten);
      awaitingAck.clear();
      unwritten.clear();
      earlyAcks.clear();
      String why = "connection " + index + " to " + host + ":" + port() + " closed before the PUBACK";
      for (Attempt attempt : lost) {
        end(attempt);
        sendAgain(attempt.pending, why);
      }
      if (!closing) {
        drainResends();
        scheduleReconnect();
      }
    }

    private void scheduleReconnect() {
      if (reconnectPending) {
        return;
      }
      reconnectPending = true;
      long delay = reconnectDelayMs;
      reconnectDelayMs = Math.min(MAX_RECONNECT_DELAY_MS, reconnectDelayMs * 2);
      vertx.setTimer(delay, id -> {
        reconnectPending = false;
        if (closing) {
          return;
        }
        connect().onSuccess(v -> drainResends()).onFailure(err -> scheduleReconnect());
      });
    }

    Future<Void> disconnect() {
      if (client == null || !client.isConnected()) {
        return Future.succeededFuture();
      }
      return client.disconnect();
    }
  }
}
