package org.csp.edge.upstream;

import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to the DSP's broker with QoS 1. An event leaves the outbox only on the broker's PUBACK; on a
 * lost connection or an ack time-out the events in flight are sent again, byte for byte (same event id). There
 * is no reconnect in vertx-mqtt: this verticle reconnects with exponential backoff from the close handler.
 *
 * <p>An event the broker refuses leaves the outbox for the {@link DeadLetters} instead, so that it never stalls the
 * feed nor makes the link flap: one larger than {@code upstream.maxMessageBytes} is never sent, and one that is the
 * oldest unacknowledged event when the connection closes, {@code upstream.deadLetterAfter} times in a row (a broker
 * closes the connection on a packet over its limit), is not sent again. Its receipt goes back to the hub as for a
 * delivered event; it is counted and logged (at most one line per {@link #DEAD_LETTER_LOG_INTERVAL}).
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
  private final DeadLetters deadLetters;
  /** Sent on the current connection and not yet acknowledged, in send order: the largest is the suspect on a close. */
  private final java.util.ArrayDeque<UpstreamEvent> unacked = new java.util.ArrayDeque<>();
  /** The event that was the oldest unacknowledged at the last lost connections, and at how many in a row. */
  /** How long a stop waits for the broker's PUBACK of the offline status. */
  private static final Duration OFFLINE_STATUS_WAIT = Duration.ofSeconds(2);
  private UpstreamEvent suspect;
  /** This node closed the connection itself, for a PUBACK that never came: not a refusal by the broker. */
  private boolean closedForSilence;
  private int suspectStrikes;
  /** A refused event, dead-lettered when it next comes out of the outbox instead of being sent. */
  private final Set<UpstreamEvent> refused = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Enough to see that it happens without one line per event when many are refused. */
  private static final Duration DEAD_LETTER_LOG_INTERVAL = Duration.ofSeconds(10);
  private long deadLetterLogAt = Long.MIN_VALUE;
  private long deadLettersNotLogged;

  private record InFlight(UpstreamEvent event, long sentAtNanos) {}
  /** PUBACKs that overtook the completion of their own publish future. */
  private final Set<Integer> earlyAcks = new HashSet<>();
  /** Status messages (not events: they bypass the outbox) awaiting their PUBACK. */
  private final Map<Integer, Promise<Void>> presenceAcks = new HashMap<>();
  private NodePresence presence;
  private int sending;
  private MqttClient client;
  private volatile boolean connected;
  private boolean stopping;
  private Duration backoff;
  private long reconnectTimer = -1;
  private int failedAttempts;
  /** Set after a publish failed on a live connection: draining waits a moment instead of spinning. */
  private boolean holdingOff;
  /** What the published events' changes must be written in first: the journal's barrier (done when it is off). */
  private Supplier<CompletionStage<Void>> journalWritten = () -> WRITTEN;
  private static final CompletionStage<Void> WRITTEN = CompletableFuture.completedFuture(null);
  /** True once the journal stopped: nothing more is published in this run ({@link #holdFeed}). */
  private boolean feedHeld;
  /** Events taken from the outbox, waiting for the journal to write what they report; null when none wait. */
  private List<UpstreamEvent> waitingForJournal;

  public UpstreamPublisher(NodeConfig.Upstream config, NodeConfig.UpstreamTls tls, String host, int port, Outbox outbox,
      NodeStats stats, Timer publishLatency, DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
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

  /** The node's retained online/offline status and its last will, on every connection from now on. */
  public UpstreamPublisher announce(NodePresence presence) {
    this.presence = presence;
    return this;
  }

  /**
   * Events are sent only once the journal wrote every record appended before they were taken from the outbox: a
   * node killed in between then restores the changes they report (a sealed group, a summary's reset) and does not
   * report them again with other counts.
   */
  public UpstreamPublisher afterJournal(Supplier<CompletionStage<Void>> written) {
    this.journalWritten = written;
    return this;
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
    if (waitingForJournal != null) outbox.requeue(waitingForJournal); // spilled with the rest
    waitingForJournal = null;
    connected = false;
    MqttClient c = client;
    client = null;
    if (c == null || !c.isConnected()) return Future.succeededFuture();
    // A clean stop says offline itself (the broker drops the will on DISCONNECT), and waits for the PUBACK.
    // Briefly: the stop's budget is the spill's too, and a broker that does not answer at once will not in time (an
    // outside probe: a 12 s stopTimeout spent waiting 30 s here, the spill written late). Unacknowledged, the status
    // is still published if the broker takes what is in its socket, and otherwise its will says offline.
    Duration wait = config.ackTimeout().compareTo(OFFLINE_STATUS_WAIT) < 0 ? config.ackTimeout() : OFFLINE_STATUS_WAIT;
    Future<Void> offline = presence == null ? Future.succeededFuture()
        : publishPresence(c, presence.offline()).timeout(wait.toMillis(), TimeUnit.MILLISECONDS);
    return offline.recover(e -> Future.succeededFuture()).compose(v -> c.disconnect()).recover(e -> Future.succeededFuture());
  }

  /** A retained QoS 1 status message, outside the outbox; completes on its PUBACK. */
  private Future<Void> publishPresence(MqttClient c, Buffer message) {
    Promise<Void> acked = Promise.promise();
    c.publish(presence.topic(), message, MqttQoS.AT_LEAST_ONCE, false, true).onComplete(ar -> {
      if (ar.failed()) acked.tryFail(ar.cause());
      else if (earlyAcks.remove(ar.result())) acked.tryComplete();
      else presenceAcks.put(ar.result(), acked);
    });
    return acked.future();
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
    if (presence != null) presence.withWill(options);
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
        if (presence != null) {
          publishPresence(c, presence.online()).onFailure(e -> log.warn("upstream: online status not published: {}", e.toString()));
        }
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
    stats.upstreamConnectionsLost.increment();
    if (closedForSilence) {
      unacked.clear(); // this node closed it: no event's fault
      closedForSilence = false;
    } else {
      noteSuspect();
    }
    int resend = inflight.size();
    requeueInflight();
    if (!stopping) {
      log.warn("upstream broker {} connection lost; {} events in flight will be sent again, {} wait in the outbox",
          target(), resend, outbox.depth());
      scheduleReconnect();
    }
  }

  /**
   * The largest event sent on the lost connection and not acknowledged (the oldest of equals): refused once it is so
   * often enough in a row. A broker closes on a packet over its limit without the PUBACKs it owes for the smaller
   * events sent before it, and heartbeats and forwarded alerts go first, so the oldest was often an innocent one.
   */
  private void noteSuspect() {
    UpstreamEvent largest = null;
    for (UpstreamEvent e : unacked) if (largest == null || e.payload().length() > largest.payload().length()) largest = e;
    unacked.clear();
    if (largest == null) return;
    suspectStrikes = largest == suspect ? suspectStrikes + 1 : 1;
    suspect = largest;
    if (suspectStrikes >= config.deadLetterAfter()) {
      refused.add(largest);
      suspect = null;
      suspectStrikes = 0;
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
    presenceAcks.values().forEach(p -> p.tryFail("connection lost before the PUBACK"));
    presenceAcks.clear();
    if (inflight.isEmpty()) return;
    stats.eventsResent.add(inflight.size());
    outbox.requeue(inflight.values().stream().map(InFlight::event).toList());
    inflight.clear();
    earlyAcks.clear();
  }

  /**
   * The journal stopped (a failed write): nothing more is published in this run. What it wrote before is restored at
   * the next start and its events published again (same ids); what was decided since was not acknowledged, and its
   * senders' resends decide it again then. Published now, it would be reported twice.
   */
  private void holdFeed(List<UpstreamEvent> batch) {
    outbox.requeue(batch);
    if (feedHeld) return;
    feedHeld = true;
    log.error("journal stopped: the feed to {} is held for the rest of this run; a restart (once the disk is fixed)"
        + " publishes what the journal kept", target());
  }

  private void drain() {
    MqttClient c = client;
    if (waitingForJournal != null || feedHeld) return; // drained again once that batch is sent; or never this run
    List<UpstreamEvent> batch = new ArrayList<>();
    while (connected && !holdingOff && c != null && inflight.size() + sending + batch.size() < config.maxInflight()) {
      UpstreamEvent event = outbox.poll();
      if (event == null) break;
      int packetBytes = EventFactory.packetBytes(event.topic(), event.payload().length());
      if (packetBytes > config.maxMessageBytes()) {
        deadLetter(event, packetBytes + " bytes, over upstream.maxMessageBytes (" + config.maxMessageBytes() + ")");
        continue;
      }
      if (refused.remove(event)) {
        deadLetter(event, "the broker closed the connection with it unacknowledged " + config.deadLetterAfter()
            + " times in a row (" + packetBytes + " bytes: over the broker's packet limit?)");
        continue;
      }
      batch.add(event);
    }
    if (batch.isEmpty()) return;
    // Asked after the events left the outbox, so it covers the records of every change they report (appended before
    // the event was offered). Failed only when the journal stopped for the run: see holdFeed.
    CompletableFuture<Void> written = journalWritten.get().toCompletableFuture();
    if (written.isCompletedExceptionally()) {
      holdFeed(batch);
      return;
    }
    if (written.isDone()) {
      send(c, batch);
      return;
    }
    waitingForJournal = batch;
    written.whenComplete((v, e) -> context.runOnContext(x -> {
      List<UpstreamEvent> held = waitingForJournal;
      waitingForJournal = null;
      if (held == null) return; // requeued by a stop
      if (e != null) {
        holdFeed(held);
        return;
      }
      if (stopping || c != client || !connected) {
        outbox.requeue(held);
      } else {
        send(c, held);
      }
      drain();
    }));
  }

  private void send(MqttClient c, List<UpstreamEvent> batch) {
    for (UpstreamEvent event : batch) {
      if (!UpstreamEvent.isTopicName(event.topic())) {
        // No broker takes it: retried, it would be the head of the feed for ever (a dead letter resent, edited).
        deadLetter(event, "its topic is not an MQTT topic name (empty, a wildcard, or NUL)");
        continue;
      }
      sending++;
      unacked.addLast(event);
      long sentAt = System.nanoTime();
      c.publish(event.topic(), event.payload(), MqttQoS.AT_LEAST_ONCE, false, false).onComplete(ar -> {
        sending--;
        if (ar.failed() || c != client) {
          // Not sent (or its connection is gone): back to the front, and no new publish until a retry delay
          // has passed or the connection is re-established; retrying at once would spin on the event loop.
          if (c == client) unacked.removeFirstOccurrence(event);
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
    Promise<Void> status = presenceAcks.remove(packetId);
    if (status != null) {
      status.tryComplete();
      return;
    }
    InFlight event = inflight.remove(packetId);
    if (event == null) {
      earlyAcks.add(packetId);
      return;
    }
    delivered(event);
    drain();
  }

  /** Into the dead letters; once written, it leaves the outbox and its receipt goes back as for a delivered event. */
  private void deadLetter(UpstreamEvent event, String why) {
    vertx.executeBlocking(() -> {
      deadLetters.append(event, why, java.time.Instant.now());
      return null;
    }).onComplete(ar -> {
      if (ar.failed()) {
        log.error("cannot write dead letter {} to {} ({}); it stays in the outbox", event.eventId(), deadLetters.file(),
            ar.cause().toString());
        refused.add(event);
        outbox.requeue(List.of(event));
        holdOff("dead letters not writable");
        return;
      }
      stats.deadLettered.increment();
      stats.deadLetteredAlerts.add(event.count());
      logDeadLetter(event, why);
      outbox.deadLettered(event);
      event.afterDelivery().run();
    });
  }

  private void logDeadLetter(UpstreamEvent event, String why) {
    long now = System.nanoTime();
    if (deadLetterLogAt != Long.MIN_VALUE && now - deadLetterLogAt < 0) {
      deadLettersNotLogged++;
      return;
    }
    deadLetterLogAt = now + DEAD_LETTER_LOG_INTERVAL.toNanos();
    log.warn("event {} ({}, count {}) refused by the broker: {}; kept in {} (csp-edge-node dead-letters resend){}",
        event.eventId(), event.type(), event.count(), why, deadLetters.file(),
        deadLettersNotLogged == 0 ? "" : "; " + deadLettersNotLogged + " more since the last such line");
    deadLettersNotLogged = 0;
  }

  private void delivered(InFlight sent) {
    unacked.removeFirstOccurrence(sent.event());
    if (sent.event() == suspect) {
      suspect = null;
      suspectStrikes = 0;
    }
    publishLatency.record(System.nanoTime() - sent.sentAtNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    outbox.delivered(sent.event());
    stats.eventsDelivered.increment();
    sent.event().afterDelivery().run();
  }

  private void expired(int packetId) {
    Promise<Void> status = presenceAcks.remove(packetId);
    if (status != null) status.tryFail("no PUBACK within " + config.ackTimeout());
    InFlight sent = inflight.remove(packetId);
    if (sent != null) {
      // Over TCP a PUBACK that does not come is a broker or a path that hung, not a packet lost: sending again on
      // the same connection would wait for ever while the status says connected (an outside probe: a SIGSTOPped
      // broker, 'connected' after 100 s). So the connection is closed and made again; the event goes with the rest.
      log.warn("no PUBACK for event {} within {}: closing the upstream connection to make it again; it will be sent"
          + " again", sent.event().eventId(), config.ackTimeout());
      stats.eventsResent.increment();
      unacked.removeFirstOccurrence(sent.event());
      outbox.requeue(List.of(sent.event()));
      MqttClient c = client;
      if (c != null && !closedForSilence) {
        closedForSilence = true;
        c.disconnect();
        // A broker that reads nothing may never let the DISCONNECT out, and the close waits behind it: given up on
        // after a moment, the connection is lost here (its late callbacks are ignored: it is no longer the client).
        vertx.setTimer(config.reconnectMin().toMillis(), id -> lost(c));
      }
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
