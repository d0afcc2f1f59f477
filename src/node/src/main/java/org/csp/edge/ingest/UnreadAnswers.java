package org.csp.edge.ingest;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.accounting.NodeStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers (PUBACK, PUBREC, SUBACK, PINGRESP) written to one MQTT connection that its client has not read yet. A
 * client that keeps sending and never reads would grow them in the node's heap without limit: the kernel's socket
 * buffers take a bounded share, the rest waits in the connection's write queue. Past
 * {@code limits.maxPendingOutputBytesPerConnection} (the queue's high-water mark) the node stops reading that
 * connection, so TCP holds that client back and no other; it reads again once the queue has drained below half the
 * mark. Nothing is dropped: every message read is decided and answered as before, and what is not read stays with
 * the client (which resends it on its next connection if this one closes first, by the idle timeout or its own).
 * Lives on its connection's event loop.
 */
final class UnreadAnswers {
  private static final Logger log = LoggerFactory.getLogger(UnreadAnswers.class);
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
  private static final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
  private static final AtomicLong notLogged = new AtomicLong();
  /** vertx-mqtt 5 keeps an endpoint's socket private (MqttEndpointImpl.conn); {@link #requireSocketReachable()} says so at start. */
  private static final String ENDPOINT_CLASS = "io.vertx.mqtt.impl.MqttEndpointImpl";
  private static final String SOCKET_FIELD = "conn";
  private static final Field SOCKET = socketField();

  private final MqttEndpoint endpoint;
  private final NetSocketInternal socket;
  private final int maxBytes;
  private final NodeStats stats;
  private boolean paused;
  private boolean closed;

  private UnreadAnswers(MqttEndpoint endpoint, NetSocketInternal socket, int maxBytes, NodeStats stats) {
    this.endpoint = endpoint;
    this.socket = socket;
    this.maxBytes = maxBytes;
    this.stats = stats;
  }

  /**
   * Bounds the connection's write queue at {@code maxBytes}; call {@link #check()} after anything that may have
   * written an answer.
   */
  static UnreadAnswers watch(MqttEndpoint endpoint, int maxBytes, NodeStats stats) {
    NetSocketInternal socket = socketOf(endpoint);
    UnreadAnswers answers = new UnreadAnswers(endpoint, socket, maxBytes, stats);
    socket.setWriteQueueMaxSize(maxBytes);
    socket.drainHandler(v -> answers.drained());
    // The socket's close handler is vertx-mqtt's and the endpoint's is the security session's: the channel's own.
    socket.channelHandlerContext().channel().closeFuture()
        .addListener(f -> answers.closed());
    return answers;
  }

  /** Fails the start, naming the cause, when this vertx-mqtt does not give the socket under an endpoint. */
  static void requireSocketReachable() {
    if (SOCKET == null) {
      throw new IllegalStateException("this vertx-mqtt has no field " + ENDPOINT_CLASS + "." + SOCKET_FIELD + " (a NetSocketInternal):"
          + " the node could not bound what a client leaves unread (limits.maxPendingOutputBytesPerConnection)");
    }
  }

  /** Stops reading while the client leaves more than the bound unread. */
  void check() {
    if (paused || closed || !socket.writeQueueFull()) return;
    paused = true;
    socket.pause();
    // Vert.x stops reading the socket only once the current read loop ends (up to 16 reads, each decoded whole and
    // held while paused); stopping it here holds the rest of one read at most.
    socket.channelHandlerContext().channel().config().setAutoRead(false);
    stats.mqttReadsPaused.increment();
    stats.mqttConnectionsPaused.increment();
    logPause();
  }

  private void drained() {
    if (!paused || closed) return;
    paused = false;
    stats.mqttConnectionsPaused.decrement();
    // Before resuming: a pause again while the held messages are handled must have the last word.
    socket.channelHandlerContext().channel().config().setAutoRead(true);
    socket.resume();
  }

  private void closed() {
    if (closed) return;
    closed = true;
    if (paused) stats.mqttConnectionsPaused.decrement();
    paused = false;
  }

  private void logPause() {
    long now = System.nanoTime();
    long next = nextLogAt.get();
    if ((next != Long.MIN_VALUE && now - next < 0) || !nextLogAt.compareAndSet(next, now + LOG_INTERVAL.toNanos())) {
      notLogged.incrementAndGet();
      return;
    }
    String address;
    try {
      address = String.valueOf(endpoint.remoteAddress());
    } catch (RuntimeException gone) {
      address = "-";
    }
    log.warn("not reading MQTT client {} ({}) until it reads its answers: more than {} bytes of them wait in the node"
        + " (limits.maxPendingOutputBytesPerConnection); {} more such pauses not logged", endpoint.clientIdentifier(),
        address, maxBytes, notLogged.getAndSet(0));
  }

  private static NetSocketInternal socketOf(MqttEndpoint endpoint) {
    requireSocketReachable();
    try {
      return (NetSocketInternal) SOCKET.get(endpoint);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field socketField() {
    try {
      Field f = Class.forName(ENDPOINT_CLASS).getDeclaredField(SOCKET_FIELD);
      if (!NetSocketInternal.class.isAssignableFrom(f.getType())) return null;
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
