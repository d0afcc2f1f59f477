package org.csp.edge.console;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.csp.edge.ops.Problems;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/live}: server-sent events, one {@code update} every interval while anyone listens. The update is
 * computed once per tick on a worker ({@link LiveFeed} walks the storming hubs) and the same bytes go to every
 * subscriber; a subscriber whose connection has not taken the last update yet misses this one instead of queueing
 * it, so a slow browser costs the node no memory. At most {@code maxSubscribers} streams at once, shared fairly
 * between callers: when they are all taken, a caller holding fewer than another gets one, and that other's oldest
 * stream ends (its browser reconnects later); otherwise a 503. So one token, or one script looping, cannot lock every
 * operator out of the live page.
 * The stream is an API call like any other (HttpGuard checks the token on the request): the console reads it with
 * fetch(), which can send the Authorization header that the browser's EventSource cannot.
 *
 * <p>Runs on the HTTP API's one event loop: the subscriber set needs no lock.
 */
final class LiveStream {
  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
  static final String PATH = "/v1/live";
  /** How long a browser waits before it reconnects (the SSE retry field). */
  private static final long RETRY_MILLIS = 2000;

  private final LiveFeed feed;
  private final Duration interval;
  private final int maxSubscribers;
  /** Every open stream with its caller's name, the oldest first. */
  private final Map<HttpServerResponse, String> subscribers = new LinkedHashMap<>();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder updatesMissed = new LongAdder();
  private final LongAdder streamsGivenWay = new LongAdder();
  private Vertx vertx;
  private long timer = -1;
  private boolean computing;
  private long sequence;

  LiveStream(LiveFeed feed, Duration interval, int maxSubscribers) {
    this.feed = feed;
    this.interval = interval;
    this.maxSubscribers = maxSubscribers;
  }

  void handle(RoutingContext rc) {
    Principal caller = rc.get(HttpGuard.PRINCIPAL);
    String name = caller == null ? Principal.ANONYMOUS.name() : caller.name();
    if (subscribers.size() >= maxSubscribers && !madeRoomFor(name)) {
      rc.response().putHeader("Retry-After", Long.toString(Math.max(1, interval.toSeconds())));
      Problems.answer(rc.response(), 503, "the live stream has " + maxSubscribers
          + " subscribers already (console.liveMaxSubscribers); try again later", null);
      return;
    }
    vertx = rc.vertx();
    HttpServerResponse r = rc.response();
    ConsoleFiles.secure(r);
    r.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    subscribers.put(r, name);
    r.closeHandler(v -> left(r));
    r.exceptionHandler(e -> left(r));
    send(r, Buffer.buffer("retry: " + RETRY_MILLIS + "\n\n"));
    if (timer < 0) {
      timer = vertx.setPeriodic(1, interval.toMillis(), id -> tick());
    }
  }

  /**
   * Ends the oldest stream of the caller holding the most, if that is more than {@code name} would hold with one more
   * (so two callers never take a stream from each other in turn). Whether a stream was freed.
   */
  private boolean madeRoomFor(String name) {
    Map<String, Integer> held = new HashMap<>();
    subscribers.values().forEach(n -> held.merge(n, 1, Integer::sum));
    String most = null;
    for (Map.Entry<String, Integer> e : held.entrySet()) {
      if (most == null || e.getValue() > held.get(most)) most = e.getKey();
    }
    if (most == null || held.getOrDefault(name, 0) + 1 >= held.get(most)) return false;
    for (Map.Entry<HttpServerResponse, String> e : subscribers.entrySet()) {
      if (e.getValue().equals(most)) {
        HttpServerResponse oldest = e.getKey();
        subscribers.remove(oldest);
        streamsGivenWay.increment();
        oldest.end();
        return true;
      }
    }
    return false;
  }

  private void left(HttpServerResponse r) {
    subscribers.remove(r);
    if (subscribers.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer); // nobody listens: nothing computed
      timer = -1;
    }
  }

  /** One update for all: skipped while the last one is still being computed. */
  private void tick() {
    if (computing) return;
    computing = true;
    vertx.executeBlocking(feed::next, false).onComplete(ar -> {
      computing = false;
      if (ar.failed()) {
        log.warn("live update failed: {}", ar.cause().toString());
        return;
      }
      Buffer frame = frame(ar.result());
      for (HttpServerResponse r : Set.copyOf(subscribers.keySet())) {
        if (r.writeQueueFull()) updatesMissed.increment();
        else send(r, frame);
      }
    });
  }

  private Buffer frame(JsonObject update) {
    String text = "id: " + (++sequence) + "\nevent: update\ndata: " + update.encode() + "\n\n";
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }

  private void send(HttpServerResponse r, Buffer b) {
    bytesSent.add(b.length());
    r.write(b);
  }

  int subscribers() {
    return subscribers.size();
  }

  long bytesSent() {
    return bytesSent.sum();
  }

  long updatesMissed() {
    return updatesMissed.sum();
  }

  /** Streams ended to give another caller its share. */
  long streamsGivenWay() {
    return streamsGivenWay.sum();
  }
}
