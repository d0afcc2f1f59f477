package org.csp.edge.security;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.alert.RejectReason;

/**
 * One MQTT connection as the security layer sees it: admitted (or refused) at CONNECT, then each PUBLISH screened
 * against the connection's rate and its hub binding. Refusals that persist for {@code limits.dropAfter} drop the
 * connection; so does {@code limits.idleTimeout} without a packet. Lives on its connection's event loop.
 */
public final class MqttSession {
  private final MqttGuard guard;
  private final MqttGuard.Instance instance;
  private final MqttEndpoint endpoint;
  /** The connection's event loop: another connection taking this one's client id closes it there. */
  private final Context context = Vertx.currentContext();
  /** The principal and client id this session holds once admitted (null before): one connection each. */
  private String clientKey;
  private final TokenBucket bucket;
  private final AbuseClock abuse;
  private long lastActivity;
  private boolean counted;
  /** The client's address, when its connection is counted among that address's (null otherwise). */
  private String countedHost;
  private boolean closed;
  private Principal principal;

  MqttSession(MqttGuard guard, MqttGuard.Instance instance, MqttEndpoint endpoint, long nowNanos) {
    this.guard = guard;
    this.instance = instance;
    this.endpoint = endpoint;
    this.bucket = new TokenBucket(guard.limits.messagesPerSecond(), guard.limits.burst(), nowNanos);
    this.abuse = new AbuseClock(guard.limits.dropAfter().toNanos());
    this.lastActivity = nowNanos;
  }

  /**
   * Decides the CONNECT and answers it: CONNACK accepted, or refused with the matching return code (the client
   * then sees why: bad user name or password, not authorised, identifier rejected, server unavailable). Sets the
   * endpoint's close handler; set the other handlers before calling this.
   */
  public void admit() {
    endpoint.closeHandler(v -> closed());
    counted = true;
    if (guard.open().incrementAndGet() > guard.limits.maxMqttConnections()) {
      refuse(MqttGuard.Verdict.refuse(Refusal.CONNECTION_LIMIT,
          io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE));
      return;
    }
    String host = MqttGuard.host(endpoint);
    if (!guard.connectedFrom(host)) {
      refuse(MqttGuard.Verdict.refuse(Refusal.ADDRESS_LIMIT,
          io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE));
      return;
    }
    countedHost = host;
    guard.decide(endpoint, instance).onComplete(ar -> {
      if (closed) return;
      MqttGuard.Verdict v = ar.succeeded() ? ar.result()
          : MqttGuard.Verdict.refuse(Refusal.LOGIN_BACKLOG,
              io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      if (v.principal() == null) {
        refuse(v);
        return;
      }
      principal = v.principal();
      lastActivity = System.nanoTime();
      instance.track(this);
      String clientId = endpoint.clientIdentifier();
      if (clientId != null && !clientId.isEmpty()) { // an empty one is the server's to assign, unique
        clientKey = principal.name() + "\u0000" + clientId;
        guard.tookClientId(clientKey, this);
      }
      guard.stats.loggedIn(principal.method());
      endpoint.accept(false);
    });
  }

  private void refuse(MqttGuard.Verdict v) {
    guard.stats.refused(Intake.MQTT, v.refusal());
    guard.logRefusal(v.refusal(), endpoint);
    try {
      endpoint.reject(v.code());
    } catch (IllegalStateException alreadyClosed) {
      // the client went away meanwhile
    }
  }

  private void closed() {
    if (closed) return;
    closed = true;
    instance.untrack(this);
    if (counted) guard.open().decrementAndGet();
    if (countedHost != null) guard.disconnectedFrom(countedHost);
    if (clientKey != null) guard.releasedClientId(clientKey, this);
  }

  /** Any packet from the client. */
  public void active() {
    lastActivity = System.nanoTime();
  }

  long lastActivity() {
    return lastActivity;
  }

  public Principal principal() {
    return principal;
  }

  /**
   * A QoS 0 PUBLISH arrived: null when it may be read, else the reason it is refused whole without being read (over
   * the connection's rate; QoS 0 has no acknowledgement to pace). Refusals that go on past {@code limits.dropAfter}
   * drop the connection.
   */
  public RejectReason screen() {
    long now = System.nanoTime();
    lastActivity = now;
    if (bucket.take(now)) return null;
    strike(now, "over " + guard.limits.messagesPerSecond() + " messages/s for " + guard.limits.dropAfter().toSeconds() + " s");
    return RejectReason.RATE_LIMITED;
  }

  /**
   * A QoS 1/2 PUBLISH arrived: how many nanoseconds its acknowledgement must wait to hold the connection to its rate
   * (0: at once), or -1 when the client is more than {@code limits.burst} messages ahead of its rate. Nothing is
   * refused: a client with a bounded in-flight window is simply paced. A client that does not wait for its
   * acknowledgements is dropped, and this message is not taken; it resends what was not acknowledged on reconnect.
   */
  public long pace() {
    long now = System.nanoTime();
    lastActivity = now;
    long wait = bucket.reserve(now);
    if (wait < 0) {
      drop(Drop.OVER_RATE, "more than " + guard.limits.burst() + " messages ahead of " + guard.limits.messagesPerSecond()
          + " messages/s without waiting for acknowledgements");
    }
    return wait;
  }

  /**
   * The alerts of {@code parsed} for hubs this client may not send for become rejections ({@code hub_not_allowed}),
   * at their own index. A message refused whole for what the client may not do (a topic outside alerts/..., a hub
   * outside its binding, over a size limit) counts towards dropping a client that keeps at it.
   */
  public ParsedMessage scope(ParsedMessage parsed) {
    ParsedMessage scoped = principal == null ? parsed : principal.hubs().bind(parsed);
    if (scoped.alerts().isEmpty() && !scoped.rejections().isEmpty() && forbidden(scoped.rejections().get(0).reason())) {
      strike(System.nanoTime(), "kept sending " + scoped.rejections().get(0).reason().wireName() + " messages for "
          + guard.limits.dropAfter().toSeconds() + " s");
    }
    return scoped;
  }

  /** A SUBSCRIBE: refused (the node is not a broker), counted. */
  public void subscribeRefused() {
    lastActivity = System.nanoTime();
    guard.stats.refused(Intake.MQTT, Refusal.SUBSCRIBE);
    strike(lastActivity, "kept subscribing");
  }

  /** Bytes that are not MQTT after CONNECT: the decoder has given up on the stream, so the connection goes. */
  public void protocolError(String what) {
    drop(Drop.PROTOCOL_ERROR, what);
  }

  private static boolean forbidden(RejectReason r) {
    return r == RejectReason.BAD_TOPIC || r == RejectReason.HUB_NOT_ALLOWED || r == RejectReason.MESSAGE_TOO_LARGE
        || r == RejectReason.BATCH_TOO_LARGE || r == RejectReason.RATE_LIMITED;
  }

  private void strike(long now, String why) {
    if (abuse.refused(now)) drop(Drop.PERSISTENT_ABUSE, why);
  }

  /** A new connection of the same principal took this one's client id: closed on its own event loop. */
  void takenOver() {
    Runnable drop = () -> drop(Drop.TAKEN_OVER, "a new connection with its client id " + endpoint.clientIdentifier());
    if (context == null) drop.run();
    else context.runOnContext(v -> drop.run());
  }

  void drop(Drop reason, String detail) {
    if (closed) return;
    guard.stats.dropped(Intake.MQTT, reason);
    guard.logDrop(reason, detail, endpoint, principal);
    closed();
    try {
      endpoint.close();
    } catch (IllegalStateException alreadyClosed) {
      // closed by the other side meanwhile
    }
  }

}
