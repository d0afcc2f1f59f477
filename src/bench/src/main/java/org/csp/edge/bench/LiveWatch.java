package org.csp.edge.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The console's live stream (GET /v1/live) read for the whole of the node's run, as a browser would: what the page
 * costs the network while the node takes the scenario's storm at every rate of the climb (issue 21: bounded in rate
 * and size whatever the alert rate). Counts bytes and updates; keeps the largest update.
 */
final class LiveWatch implements AutoCloseable {
  private final HttpClient client;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong largest = new AtomicLong();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private final StringBuilder text = new StringBuilder();
  private volatile long stoppedNanos;

  private LiveWatch(Vertx vertx, String host, int port) {
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port));
    client.request(HttpMethod.GET, "/v1/live").compose(r -> r.send()).onComplete(ar -> {
      if (ar.failed()) {
        problem.compareAndSet(null, "live stream: " + ar.cause());
      } else if (ar.result().statusCode() != 200) {
        problem.compareAndSet(null, "live stream answered " + ar.result().statusCode());
      } else {
        ar.result().handler(this::take);
      }
    });
  }

  static LiveWatch start(Vertx vertx, String host, int port) {
    return new LiveWatch(vertx, host, port);
  }

  private synchronized void take(io.vertx.core.buffer.Buffer b) {
    if (stoppedNanos != 0) return;
    bytes.addAndGet(b.length());
    text.append(b.toString());
    int end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      if (text.indexOf("data: ") >= 0 && text.indexOf("data: ") < end) {
        updates.incrementAndGet();
        largest.accumulateAndGet(end + 2, Math::max);
      }
      text.delete(0, end + 2);
    }
  }

  /** The figures so far; the stream is no longer counted after this. */
  Figures stop() {
    stoppedNanos = System.nanoTime();
    client.close();
    return new Figures(updates.get(), bytes.get(), (stoppedNanos - startedNanos) / 1e9, largest.get(), problem.get());
  }

  @Override
  public void close() {
    if (stoppedNanos == 0) stop();
  }

  /** What the live stream sent over the node's run. */
  record Figures(long updates, long bytes, double seconds, long largestUpdateBytes, String problem) {
    double bytesPerSecond() {
      return seconds > 0 ? bytes / seconds : 0;
    }

    JsonObject toJson() {
      return new JsonObject().put("updates", updates).put("bytes", bytes).put("seconds", Numbers.round1(seconds))
          .put("bytesPerSecond", Numbers.round1(bytesPerSecond())).put("largestUpdateBytes", largestUpdateBytes)
          .put("problem", problem);
    }

    String text() {
      return problem != null ? problem : String.format(Locale.ROOT, "%d updates in %.0f s, %.0f bytes/s, largest update %d bytes",
          updates, seconds, bytesPerSecond(), largestUpdateBytes);
    }
  }
}
