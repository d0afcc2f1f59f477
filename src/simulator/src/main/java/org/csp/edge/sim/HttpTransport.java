package org.csp.edge.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.net.URI;

/**
 * POSTs each message to {@code {baseUrl}/v1/alerts}, one request per pooled connection at a time.
 * HTTP has no topic: a message's hub topic is ignored (scenarios leave out what only a topic can say).
 *
 * <p>A 503 is the node's back-pressure: the same message is sent again after the Retry-After delay, and
 * it is still one message in the report. The final answer's status and its accepted / rejected counts
 * are recorded. The body's field names are read leniently, since the contract only says "how many were
 * accepted and, for each rejected one, its index and why": {@code accepted} (a number or an array) and
 * {@code rejected} (an array of {index, reason} or a number); {@code acceptedCount} / {@code rejectedCount}
 * also work. An answer may also say that some alerts were {@code unavailable} (the node could not record
 * them): the report shows how many; the message is not sent again, since its other alerts were taken.
 */
public final class HttpTransport implements SimTransport {

  static final String PATH = "/v1/alerts";
  private static final long DEFAULT_RETRY_MS = 250;
  private static final long MAX_RETRY_MS = 5_000;
  private static final long MIN_RETRY_MS = 50;

  private final Vertx vertx;
  private final String url;
  private final int connections;
  private HttpClientAgent client;
  private int inFlight;
  private boolean closing;

  public HttpTransport(Vertx vertx, String baseUrl, int connections) {
    this.vertx = vertx;
    this.url = baseUrl.replaceAll("/+$", "") + PATH;
    this.connections = connections;
  }

  public static HttpTransport of(Vertx vertx, SimOptions options) {
    return new HttpTransport(vertx, options.httpBaseUrl(), options.connections());
  }

  /** Opens one TCP connection first, so an unreachable node fails the run at once, not message by message. */
  @Override
  public Future<Void> start() {
    URI uri = URI.create(url);
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    NetClient probe = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    return probe.connect(port, uri.getHost())
      .compose(NetSocket::close)
      .eventually(probe::close)
      .recover(err -> Future.failedFuture("cannot reach the node's HTTP API at " + url + ": " + err.getMessage()))
      .map(v -> {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(connections));
        return null;
      });
  }

  @Override
  public boolean ready() {
    return !closing && inFlight < connections;
  }

  @Override
  public Future<Delivery> send(SimMessage message) {
    inFlight++;
    Promise<Delivery> done = Promise.promise();
    attempt(message, 0, done);
    return done.future().andThen(ar -> inFlight--);
  }

  private void attempt(SimMessage message, int retries, Promise<Delivery> done) {
    RequestOptions request = new RequestOptions()
      .setMethod(HttpMethod.POST)
      .setAbsoluteURI(url)
      .putHeader(HttpHeaders.CONTENT_TYPE, message.format().contentType());
    client.request(request)
      .compose(req -> req.send(Buffer.buffer(message.payload())))
      .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(), resp.getHeader("Retry-After"), body)))
      .onComplete(ar -> {
        if (ar.failed()) {
          done.complete(Delivery.failed("POST " + url + " failed: " + ar.cause().getMessage(), retries));
        } else if (ar.result().status() == 503 && closing) {
          done.complete(Delivery.failed("503 from the node and the run is over", retries));
        } else if (ar.result().status() == 503) {
          vertx.setTimer(retryDelayMs(ar.result().retryAfter()), id -> attempt(message, retries + 1, done));
        } else {
          Answer answer = ar.result();
          done.complete(Delivery.http(answer.status(), count(answer.body(), "accepted"), count(answer.body(), "rejected"),
            Math.max(0, count(answer.body(), "unavailable")), retries));
        }
      });
  }

  private record Answer(int status, String retryAfter, Buffer body) {
  }

  /** Retry-After in seconds (HTTP dates are not worth it here), within sane bounds. */
  static long retryDelayMs(String retryAfter) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return DEFAULT_RETRY_MS;
    }
    try {
      double seconds = Double.parseDouble(retryAfter.trim());
      return Math.max(MIN_RETRY_MS, Math.min(MAX_RETRY_MS, Math.round(seconds * 1000)));
    } catch (NumberFormatException e) {
      return DEFAULT_RETRY_MS;
    }
  }

  /** A count from the answer's body: {@code name} as a number or an array, or {@code nameCount}; -1 if absent. */
  static int count(Buffer body, String name) {
    if (body == null || body.length() == 0) {
      return -1;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (RuntimeException notJson) {
      return -1;
    }
    if (!(parsed instanceof JsonObject object)) {
      return -1;
    }
    for (String key : new String[] {name, name + "Count"}) {
      Object value = object.getValue(key);
      if (value instanceof Number n) {
        return n.intValue();
      }
      if (value instanceof JsonArray a) {
        return a.size();
      }
    }
    return -1;
  }

  @Override
  public void readyHandler(Runnable handler) {
    // Capacity only comes back when a request completes, which the simulator already hears about.
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public String target() {
    return "POST " + url + " (" + connections + " connections)";
  }

  @Override
  public Future<Void> close() {
    closing = true;
    return client == null ? Future.succeededFuture() : client.close();
  }
}
