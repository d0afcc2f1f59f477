package org.csp.edge.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * The node's HTTP API from a command line (the {@code policy} and {@code silence} commands, in the manner of
 * Alertmanager's amtool): where the node is, the bearer token, which CA to trust for HTTPS, and the API's problems
 * ({@code application/problem+json}) turned into one readable message, each bad field on a line of its own.
 */
public final class ApiClient {
  public static final String ENV_URL = "NODE_API_URL";
  public static final String ENV_TOKEN = "NODE_API_TOKEN";
  /** The node's default HTTP port on loopback (node.httpPort). */
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  /** The options every API command takes: add with {@code @Mixin ApiClient.Options api;}. */
  public static final class Options {
    @Option(names = "--url", paramLabel = "URL",
        description = "The node's HTTP API (default: $" + ENV_URL + ", else " + DEFAULT_URL + ").")
    String url;
    @Option(names = "--token", paramLabel = "TOKEN",
        description = {"A bearer token (csp-edge-node new-token; default: $" + ENV_TOKEN + "). Changes need an admin token.",
            "Write --token=TOKEN: a token may begin with '-'."})
    String token;
    @Option(names = "--ca-file", paramLabel = "FILE",
        description = "PEM certificate(s) of the CA to trust for an https URL (default: the JVM's trusted CAs).")
    Path caFile;
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10S",
        description = "How long to wait for an answer, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;
  }

  /** An answer of the API. */
  public record Answer(int status, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** The API refused or failed: the message says why, as the node put it. */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final URI base;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  /** From the command's options, then $NODE_API_URL and $NODE_API_TOKEN, then the defaults. */
  public ApiClient(Options options, Map<String, String> env) {
    this(options.url != null ? options.url : env.getOrDefault(ENV_URL, DEFAULT_URL),
        options.token != null ? options.token : env.get(ENV_TOKEN), options.caFile, options.timeout);
  }

  /**
   * @param caFile PEM certificates to trust for https, or null for the JVM's trusted CAs
   */
  public ApiClient(String url, String token, Path caFile, Duration timeout) {
    this.base = base(url);
    this.token = token;
    this.timeout = timeout;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (caFile != null) builder.sslContext(trusting(caFile));
    this.http = builder.build();
  }

  public JsonObject get(String path) {
    return send("GET", path, null).json();
  }

  public JsonObject put(String path, JsonObject body) {
    return send("PUT", path, body).json();
  }

  public JsonObject post(String path, JsonObject body) {
    return send("POST", path, body).json();
  }

  public JsonObject delete(String path) {
    Answer a = send("DELETE", path, null);
    return a.body().isBlank() ? new JsonObject() : a.json();
  }

  /** Any answer of status 2xx; anything else is {@link Refused}, with the problem's words. */
  public Answer send(String method, String path, JsonObject body) {
    Answer answer = exchange(method, path, body);
    if (answer.status() / 100 != 2) throw new Refused(answer.status(), explain(method, path, answer));
    return answer;
  }

  /** Whatever the node answers; {@link Refused} (status 0) only when it cannot be reached. */
  public Answer exchange(String method, String path, JsonObject body) {
    return exchange(method, path, body, "application/json");
  }

  /** The same, asking for {@code accept} (e.g. text/csv); a problem comes as problem+json whatever is asked. */
  public Answer exchange(String method, String path, JsonObject body, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Accept", accept + ", application/problem+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8));
    if (body != null) request.header("Content-Type", "application/json");
    return exchange(request);
  }

  /**
   * Sends a file as the body, streamed from disk (an inventory's CSV may be hundreds of MB), waiting at least
   * {@code atLeast} for the answer: the node answers once it has read the whole file.
   */
  public Answer upload(String method, String path, Path file, String contentType, Duration atLeast) {
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (java.io.FileNotFoundException e) {
      throw new Refused(0, "no file " + file);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout.compareTo(atLeast) < 0 ? atLeast : timeout)
        .header("Accept", "application/json, application/problem+json").header("Content-Type", contentType)
        .method(method, body);
    return exchange(request);
  }

  /** The API's base URL: http or https with a host, or a usage error naming the option. */
  private static URI base(String url) {
    URI uri = null;
    try {
      uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (java.net.URISyntaxException e) {
      // Said below.
    }
    if (uri == null || uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new org.csp.edge.config.ConfigException("--url (or $" + ENV_URL + ") must be http://HOST:PORT or https://HOST:PORT, got '"
          + url + "'");
    }
    return uri;
  }

  private Answer exchange(HttpRequest.Builder request) {
    if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token.strip());
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.net.ConnectException e) {
      throw new Refused(0, "cannot reach the node at " + base + ": nothing accepted the connection (is the node running,"
          + " and is this its HTTP port?)");
    } catch (java.net.http.HttpConnectTimeoutException e) {
      throw new Refused(0, "cannot reach the node at " + base + ": no connection within " + timeout.toMillis() + " ms (--timeout)");
    } catch (java.net.http.HttpTimeoutException e) {
      // Connected, and the answer is late: the node is there, busy (a report over many models can take longer).
      throw new Refused(0, "the node at " + base + " did not answer within " + timeout.toMillis() + " ms: it may be busy;"
          + " a longer --timeout (e.g. --timeout PT60S) waits for it");
    } catch (IOException e) {
      throw new Refused(0, "cannot reach the node at " + base + ": " + CommandLines.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused(0, "interrupted");
    }
    String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
    return new Answer(response.statusCode(), type, response.body());
  }

  /** "PUT /v1/policy: 400 detail", then each error of the problem on its own line. */
  public static String explain(String method, String path, Answer a) {
    StringBuilder out = new StringBuilder(method + " " + path + ": " + a.status());
    JsonObject problem = null;
    try {
      problem = a.body().isBlank() ? null : new JsonObject(a.body());
    } catch (DecodeException e) {
      // not JSON: shown as it is
    }
    if (problem == null) return out.append(a.body().isBlank() ? "" : " " + a.body().strip()).toString();
    out.append(' ').append(problem.getString("detail", problem.getString("title", "")));
    JsonArray errors = problem.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      String where = e.getString("field", e.getString("parameter", e.getString("pointer", "")));
      out.append("\n  ").append(where.isEmpty() ? "" : where + ": ")
          .append(e.getString("detail", e.getString("reason", "")));
    }
    if (a.status() == 401) out.append("\n  (give --token or $" + ENV_TOKEN + ")");
    return out.toString();
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trust.setCertificateEntry("ca-" + n++, c);
      if (n == 0) throw new IllegalArgumentException("--ca-file " + caFile + " holds no PEM certificate");
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("--ca-file " + caFile + ": " + e.getMessage());
    }
  }
}
