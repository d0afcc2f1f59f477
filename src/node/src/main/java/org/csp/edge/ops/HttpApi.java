package org.csp.edge.ops;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Consumer;
import org.csp.edge.security.HttpGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of the node: status and the OpenAPI document; the alert intake, policy, health and metrics are mounted by the caller. */
public final class HttpApi extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final String host;
  private final int port;
  private final NodeStatus status;
  private final List<Consumer<Router>> mounts;
  private final HttpGuard guard;
  private final io.vertx.core.buffer.Buffer openApi = OpenApiDocument.load();
  private HttpServerOptions options;
  private HttpServer server;
  private volatile Router router;

  /**
   * @param mounts the routes of the other parts: alert intake, health, metrics
   * @param guard TLS, who may call what, and connection limits: it sees every request first
   */
  public HttpApi(String host, int port, NodeStatus status, List<Consumer<Router>> mounts,
      HttpGuard guard) {
    this.host = host;
    this.port = port;
    this.status = status;
    this.mounts = mounts;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    // HEAD is GET without the body (RFC 9110, 9.3.2): routed as GET, and Vert.x leaves a HEAD answer's body out.
    router.route().method(HttpMethod.HEAD).handler(rc -> rc.reroute(HttpMethod.GET, rc.request().uri()));
    router.route().handler(guard.handler());
    mounts.forEach(m -> m.accept(router));
    router.get("/v1/status").handler(rc -> json(rc.response(), 200, status.toJson()));
    OpenApiDocument.mount(router, openApi);
    Problems.mount(router);
    options = guard.serverOptions();
    server = vertx.createHttpServer(options);
    guard.attach(vertx, server);
    server.invalidRequestHandler(this::unparsed);
    return server.requestHandler(this::route).listen(port, host)
        .recover(e -> Future.failedFuture(new IllegalStateException("the HTTP API cannot listen on " + host + ":" + port
            + " (node.httpPort, NODE_HTTP_PORT): " + e.getMessage(), e)))
        .onSuccess(s -> log.info("HTTP API on {}://{}:{} (POST /v1/alerts, GET /v1/status, /v1/policy[/history|/rollback], /v1/live, /v1/openapi.json, /metrics, /health/*; the console at /)",
            guard.tls() ? "https" : "http", host, s.actualPort()));
  }

  /**
   * Every request, before the router: one whose body cannot be framed safely is refused ({@link #framingProblem}), and
   * so is a target with a percent sign not followed by two hex digits, which cannot be decoded: the router would throw
   * while matching its path (an error logged per request) and a handler while reading its query (a 500). A 400.
   */
  private void route(HttpServerRequest request) {
    String framing = framingProblem(request);
    if (framing != null) {
      // RFC 9112, 6.1: a transfer coding the server does not know is 501, and the connection closes, as the body's end
      // is unknown: read on, it could smuggle a request into the next one.
      request.response().putHeader("Connection", "close").endHandler(v -> request.connection().close());
      Problems.answer(request.response(), 501, framing, null);
      return;
    }
    if (escapesDecode(request.uri())) router.handle(request);
    else Problems.answer(request.response(), 400, "the request target has a '%' not followed by two hex digits", null);
  }

  /**
   * A request Netty could not parse (a request line or headers past the server's limits, bad syntax): answered as every
   * other error is, problem+json, and counted; Vert.x's own answer is an empty 414 or 431, or a close without a word.
   * The connection closes after the answer: the bytes after a request that could not be parsed cannot be trusted to
   * start the next one.
   */
  private void unparsed(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String detail = switch (status) {
      case 414 -> "the request line is longer than " + options.getMaxInitialLineLength() + " bytes";
      case 431 -> "the request's headers are longer than " + options.getMaxHeaderSize() + " bytes";
      default -> "the request cannot be parsed as HTTP"
          + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
    };
    guard.unparsed(request, detail);
    request.response().putHeader("Connection", "close").endHandler(v -> request.connection().close());
    Problems.answer(request.response(), status, detail, null);
  }

  /**
   * Why the request's body cannot be framed safely, or null: a transfer coding other than chunked, which the node
   * does not decode (Netty would read the body as chunked and pass the rest undecoded). Content-Length beside
   * chunked never reaches here: Netty drops it and reads the body as chunked, as RFC 9112 says.
   */
  private static String framingProblem(HttpServerRequest request) {
    String coding = request.getHeader("Transfer-Encoding");
    if (coding == null || coding.strip().equalsIgnoreCase("chunked")) return null;
    return "only the chunked transfer coding is taken; got '" + coding + "'";
  }

  static boolean escapesDecode(String target) {
    if (target == null) return true;
    for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
      if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
          || Character.digit(target.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Future<?> stop() {
    guard.close();
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * The paths routed, once started, parameters as OpenAPI writes them ({id}): each needs a place in the OpenAPI
   * document. The console's static files (under {@link HttpGuard#CONSOLE_PREFIX}) are not API: the document has the
   * console's page ({@code /}) only.
   */
  public List<String> paths() {
    return router.getRoutes().stream().map(r -> r.getPath()).filter(p -> p != null && !p.startsWith(HttpGuard.CONSOLE_PREFIX))
        .map(p -> p.replaceAll(":([A-Za-z]+)", "{$1}")).distinct().sorted().toList();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private static void json(io.vertx.core.http.HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }
}
