package org.csp.edge.ingest;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.alert.FailureLog;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.security.MqttGuard;
import org.csp.edge.security.MqttSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT server that hubs and head-ends publish alerts to. It is not a broker: it only takes publishes on
 * {@code alerts/{hubId}} and {@code alerts}. A QoS 1 PUBACK is sent only once every alert of the message is
 * accounted for, and in the order the messages came (MQTT 3.1.1, 4.6). Deploy several instances on one port:
 * Vert.x spreads the connections over them. The {@link MqttGuard} decides each CONNECT (TLS, credentials, limits)
 * and screens each PUBLISH (rate, hub binding).
 */
public final class MqttIntake extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MqttIntake.class);
  private static final java.time.Duration FAILURE_LOG_INTERVAL = java.time.Duration.ofSeconds(10);
  private static final FailureLog failures = new FailureLog(log, FAILURE_LOG_INTERVAL);

  private final String host;
  private final int port;
  private final int maxMessageBytes;
  private final AlertParser parser;
  private final IntakeAccounting accounting;
  private final MqttGuard guard;
  private MqttGuard.Instance gate;
  private MqttServer server;
  /** Stopping: acknowledged messages are finished, new QoS 1/2 ones are left for the client to resend elsewhere. */
  private boolean draining;
  /** PUBACKs owed over all connections of this instance (one event loop). */
  private int owedAcks;

  MqttIntake(String host, int port, int maxMessageBytes, AlertParser parser, IntakeAccounting accounting, MqttGuard guard) {
    this.host = host;
    this.port = port;
    this.maxMessageBytes = maxMessageBytes;
    this.parser = parser;
    this.accounting = accounting;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    UnreadAnswers.requireSocketReachable();
    MqttServerOptions options = new MqttServerOptions()
        .setHost(host)
        .setPort(port)
        // Room above the wire limit, so that a message a little over it is refused cleanly (counted, acked)
        // instead of failing the decoder and dropping the connection.
        .setMaxMessageSize(maxMessageBytes * 2 + 1024);
    guard.configure(options);
    gate = guard.instance(vertx);
    server = MqttServer.create(vertx, options);
    server.endpointHandler(this::connected).exceptionHandler(e -> log.debug("mqtt intake: {}", e.toString()));
    context.exceptionHandler(this::unhandled);
    // Named: a port taken by another process otherwise fails the start with "Address already in use" alone.
    return server.listen().recover(e -> Future.failedFuture(new IllegalStateException(
        "the MQTT intake cannot listen on " + host + ":" + port + " (node.mqttPort, NODE_MQTT_PORT): " + e.getMessage(), e)));
  }

  /**
   * What escaped a handler on this intake's event loop. vertx-mqtt throws for a packet on a connection with no session
   * (sent before CONNECT, or still arriving after the node closed it): a client's doing, counted and logged at most
   * once per interval, not a stack trace a packet; anything else is a defect, logged whole.
   */
  private void unhandled(Throwable e) {
    StackTraceElement[] at = e.getStackTrace();
    if (e instanceof IllegalArgumentException && at.length > 0 && at[0].getClassName().startsWith(MQTT_CONNECTION)) {
      guard.packetWithoutSession();
    } else {
      log.error("unhandled failure on the MQTT intake", e);
    }
  }

  /**
   * Drains before closing: messages already taken are decided and acknowledged, so that a graceful stop does not
   * turn them into resends (counted as duplicates by the next node). New QoS 1/2 messages are not taken at all: the
   * client sends them again on its next connection, to another node.
   */
  @Override
  public Future<?> stop() {
    if (server == null) return Future.succeededFuture();
    draining = true;
    io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
    awaitAcks(System.nanoTime() + DRAIN_LIMIT.toNanos(), drained);
    return drained.future().compose(v -> {
      if (gate != null) gate.close();
      return server.close();
    });
  }

  /** Decisions take milliseconds; this only bounds a stop when the cluster cannot decide at all. */
  /** vertx-mqtt's connection, which throws for a packet outside a session (see {@link #unhandled}). */
  private static final String MQTT_CONNECTION = "io.vertx.mqtt.impl.MqttServerConnection";
  private static final java.time.Duration DRAIN_LIMIT = java.time.Duration.ofSeconds(10);

  private void awaitAcks(long deadline, io.vertx.core.Promise<Void> drained) {
    if (owedAcks <= 0 || System.nanoTime() > deadline) drained.tryComplete();
    else vertx.setTimer(10, id -> awaitAcks(deadline, drained));
  }

  /** The port actually bound (when configured as 0). */
  int actualPort() {
    return server.actualPort();
  }

  private void connected(MqttEndpoint endpoint) {
    endpoint.publishAutoAck(false);
    // Acks owed to this connection, in arrival order; each waits until its message is accounted for.
    Answers owed = new Answers(new ArrayDeque<>(), new HashSet<>());
    // QoS 2 packet ids taken and not yet released (PUBREL): a resend of one is answered, not taken again.
    Set<Integer> unreleased = new HashSet<>();
    MqttSession session = gate.open(endpoint);
    // Every packet with an answer checks what the client left unread (a PUBACK also when its decision completes).
    UnreadAnswers unread = UnreadAnswers.watch(endpoint, guard.limits().maxPendingOutputBytesPerConnection(), accounting.stats());
    endpoint.publishHandler(message -> {
      received(endpoint, session, message, owed, unreleased, unread);
      unread.check();
    });
    endpoint.publishReleaseHandler(id -> {
      unreleased.remove(id);
      endpoint.publishComplete(id);
      unread.check();
    });
    // The node is not a broker: every subscription is refused (SUBACK failure), and counted.
    endpoint.subscribeHandler(s -> {
      session.subscribeRefused();
      endpoint.subscribeAcknowledge(s.messageId(), Collections.nCopies(s.topicSubscriptions().size(), MqttQoS.FAILURE));
      unread.check();
    });
    endpoint.unsubscribeHandler(u -> {
      session.active();
      endpoint.unsubscribeAcknowledge(u.messageId());
      unread.check();
    });
    endpoint.pingHandler(v -> {
      session.active();
      unread.check(); // vertx-mqtt writes the PINGRESP after this: the next packet's check counts it
    });
    endpoint.exceptionHandler(e -> {
      if (e instanceof TooLongFrameException || (e.getCause() instanceof TooLongFrameException)) {
        // Far over the limit: the decoder could not read it, so there is no message id to acknowledge.
        accounting.stats().received.increment();
        accounting.stats().receivedMqtt.increment();
        accounting.stats().rejected(RejectReason.MESSAGE_TOO_LARGE);
        log.warn("client {} sent a message far over the {} byte limit; refused", endpoint.clientIdentifier(), maxMessageBytes);
      } else if (!(e instanceof java.io.IOException)) {
        // The decoder gave up on the stream (or the client broke the protocol): the connection closes; count it.
        session.protocolError("not MQTT: " + e.getClass().getSimpleName());
      } else {
        log.debug("client {}: {}", endpoint.clientIdentifier(), e.toString());
      }
    });
    session.admit();
  }

  /** What one connection is owed: its answers in arrival order, and the QoS 2 packet ids among them. */
  private record Answers(ArrayDeque<PendingAck> queue, Set<Integer> recs) {
    void add(PendingAck ack) {
      queue.add(ack);
      if (ack.qos == MqttQoS.EXACTLY_ONCE) recs.add(ack.messageId);
    }

    PendingAck poll() {
      PendingAck head = queue.poll();
      if (head.qos == MqttQoS.EXACTLY_ONCE) recs.remove(head.messageId);
      return head;
    }

    void clear() {
      queue.clear();
      recs.clear();
    }
  }

  private void received(MqttEndpoint endpoint, MqttSession session, MqttPublishMessage message, Answers answers,
      Set<Integer> unreleased, UnreadAnswers unread) {
    ArrayDeque<PendingAck> owed = answers.queue();
    boolean atMostOnce = message.qosLevel() == MqttQoS.AT_MOST_ONCE;
    boolean exactlyOnce = message.qosLevel() == MqttQoS.EXACTLY_ONCE;
    int maxPending = guard.limits().maxPendingAcksPerConnection();
    if (exactlyOnce && unreleased.contains(message.messageId())) {
      // MQTT 3.1.1, 4.3.3: until its PUBREL, a QoS 2 message sent again (a lost PUBREC) is answered PUBREC again,
      // after the answers before it, and not taken twice. A PUBREC already queued for it answers both: resends
      // behind a held acknowledgement add nothing. A resend is a message to the rate limit like any other.
      if (answers.recs().contains(message.messageId())) return;
      if (session.pace() < 0) return; // dropped for running ahead of its rate
      if (owed.size() >= maxPending) {
        overflowed(endpoint, answers, unreleased, message);
        return;
      }
      PendingAck again = new PendingAck(message.messageId(), MqttQoS.EXACTLY_ONCE);
      again.done = true;
      answers.add(again);
      owe(1);
      answer(endpoint, answers);
      return;
    }
    if (draining && !atMostOnce) return; // not taken: resent after the close
    long paceNanos = atMostOnce ? 0 : session.pace();
    if (paceNanos < 0) return; // the session dropped a client running ahead of its rate: not taken, resent
    if (!atMostOnce && (owed.size() >= maxPending || unreleased.size() >= maxPending)) {
      overflowed(endpoint, answers, unreleased, message);
      return;
    }
    RejectReason refused = atMostOnce ? session.screen() : null;
    // A QoS 0 message has no acknowledgement to hold back: taken while the outbox is full it would grow the outbox
    // past its capacity without limit. Refused unread and counted (outbox_full), as an HTTP body is answered 503.
    if (refused == null && atMostOnce && accounting.congested()) refused = RejectReason.OUTBOX_FULL;
    if (refused == null && atMostOnce && accounting.overloaded()) refused = RejectReason.OVERLOADED;
    ParsedMessage parsed;
    try {
      parsed = session.scope(refused != null ? ParsedMessage.refusedWhole(refused, refusal(refused), alertsIn(message.payload()))
          : parse(message));
    } catch (RuntimeException e) {
      // The parser refuses a bad element itself; this is a defect past it. The message is still answered, counted once.
      failures.failed("reading a message from client " + endpoint.clientIdentifier() + " failed", e);
      parsed = ParsedMessage.refusedWhole(RejectReason.INVALID, e.getClass().getSimpleName());
    }
    accounting.stats().receivedMqtt.add(parsed.count());
    Future<Integer> accounted = accounting.take(parsed, context);
    if (atMostOnce) return;
    if (exactlyOnce) unreleased.add(message.messageId());
    if (paceNanos > 0) accounted = paced(accounted, paceNanos);
    PendingAck ack = new PendingAck(message.messageId(), message.qosLevel());
    answers.add(ack);
    owe(1);
    accounted.onComplete(ar -> {
      ack.done = true;
      ack.withhold = ar.failed() || ar.result() > 0;
      answer(endpoint, answers);
      unread.check();
    });
  }

  /**
   * The connection's queue of messages waiting for their decision (or for their release) is full: not taken. A
   * client resends unacknowledged messages only when it reconnects, so close (as for a withheld ack).
   */
  private void overflowed(MqttEndpoint endpoint, Answers answers, Set<Integer> unreleased, MqttPublishMessage message) {
    accounting.stats().acksOverflowed.increment();
    log.warn("closing client {}: {} messages wait for their acknowledgement and {} for their release"
        + " (limits.maxPendingAcksPerConnection); message {} not taken, it will be resent on reconnect",
        endpoint.clientIdentifier(), answers.queue().size(), unreleased.size(), message.messageId());
    owe(-answers.queue().size());
    answers.clear();
    endpoint.close();
  }

  /** Sends the answers owed whose messages are accounted for, in arrival order; closes on one withheld. */
  private void answer(MqttEndpoint endpoint, Answers answers) {
    ArrayDeque<PendingAck> owed = answers.queue();
    while (!owed.isEmpty() && owed.peek().done) {
      PendingAck head = answers.poll();
      owe(-1);
      if (!endpoint.isConnected()) {
        owe(-owed.size());
        answers.clear();
        return;
      }
      if (head.withhold) {
        // Not recorded. A client resends unacknowledged messages only when it reconnects, so close: a
        // withheld PUBACK on a live connection would leave the message in limbo.
        log.warn("closing client {}: message {} could not be recorded; it will be resent on reconnect",
            endpoint.clientIdentifier(), head.messageId);
        owe(-owed.size());
        answers.clear();
        endpoint.close();
        return;
      }
      if (head.qos == MqttQoS.EXACTLY_ONCE) endpoint.publishReceived(head.messageId);
      else endpoint.publishAcknowledge(head.messageId);
    }
  }

  private String refusal(RejectReason reason) {
    if (reason == RejectReason.OVERLOADED) return "back-pressure: limits.maxUndecidedAlerts alerts wait for their decision";
    return reason == RejectReason.OUTBOX_FULL ? "back-pressure: the upstream outbox is full"
        : "limit " + guard.limits().messagesPerSecond() + " messages/s";
  }

  private void owe(int more) {
    owedAcks += more;
    accounting.stats().acksOwed.add(more);
  }

  /** The acknowledgement waits until the connection is back within its rate: back-pressure, not refusal. */
  private Future<Integer> paced(Future<Integer> accounted, long paceNanos) {
    accounting.stats().acksPaced.increment();
    return accounted.compose(failed -> vertx.timer(paceNanos, TimeUnit.NANOSECONDS).map(failed));
  }

  private ParsedMessage parse(MqttPublishMessage message) {
    AlertTopic topic = AlertTopic.parse(message.topicName());
    if (!topic.valid()) {
      return ParsedMessage.refusedWhole(RejectReason.BAD_TOPIC, "topic '" + abbreviate(message.topicName()) + "'");
    }
    Buffer payload = message.payload();
    if (payload.length() > maxMessageBytes) {
      return ParsedMessage.refusedWhole(RejectReason.MESSAGE_TOO_LARGE, payload.length() + " bytes, limit " + maxMessageBytes);
    }
    return parser.parseJson(payload.getBytes(), topic.hubId());
  }

  /**
   * The alerts a message refused unread for its rate or the node's load stands for ({@link AlertParser#alertsIn}); one
   * over the size limit counts once whatever the reason, as the contract counts it.
   */
  private int alertsIn(Buffer payload) { // an empty array: 0, as its reading counts it
    if (payload.length() > maxMessageBytes) return 1;
    byte[] bytes = payload.getBytes();
    return AlertParser.alertsIn(bytes, 0, bytes.length, guard.limits().maxAlertsPerBatch());
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static final class PendingAck {
    final int messageId;
    final MqttQoS qos;
    boolean done;
    boolean withhold;

    PendingAck(int messageId, MqttQoS qos) {
      this.messageId = messageId;
      this.qos = qos;
    }
  }
}
