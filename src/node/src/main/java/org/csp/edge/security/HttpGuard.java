package org.csp.edge.security;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.security.cert.Certificate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API's door. Per connection: a limit on open connections, a rate (429 with Retry-After, nothing taken),
 * a deadline by which each request must have arrived whole (a slow loris is dropped), and a keep-alive idle limit
 * between requests ({@code limits.idleTimeout}, as on MQTT), advertised in a {@code Keep-Alive} header. Per request: who the
 * caller is (a bearer token from the tokens file, a client certificate, or anonymous where allowed) and what it may
 * do: the health probes are open, and so is {@code /metrics} unless configured otherwise, and so are the console's
 * static files (a GET of {@code /} or under {@code /console/}: the page holds no data, every data call it makes is
 * an API call with the operator's token); the alert intake and
 * every GET need an authenticated caller; anything else (whatever changes the node) needs the admin role.
 * The HTTP server runs as one verticle instance, so this state lives on one event loop.
 */
public final class HttpGuard {
  private static final Logger log = LoggerFactory.getLogger(HttpGuard.class);
  public static final String PRINCIPAL = "csp.principal";
  /** The caller's role in the RoutingContext: {@code client} or {@code admin} (shown by the console). */
  public static final String ROLE = "csp.role";
  public static final String CONSOLE_PAGE = "/";
  public static final String CONSOLE_PREFIX = "/console/";
  private static final String BEARER = "bearer ";
  private static final String ALERTS_PATH = "/v1/alerts";
  private static final String HEALTH_PREFIX = "/health/";
  private static final String METRICS_PATH = "/metrics";
  private static final long SWEEP_INTERVAL_MS = 500;
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
  /**
   * Advertised this much below the real idle limit: a client that honours {@code Keep-Alive: timeout} closes its
   * idle connection first. When the server closes one just as the client reuses it, the request is lost in the
   * close, and some clients (Vert.x's, eclipse-vertx/vert.x#2772) then wait for an answer that never comes.
   */
  private static final long KEEP_ALIVE_MARGIN_SECONDS = 5;

  private final NodeConfig.Limits limits;
  private final NodeConfig.Tls tls;
  private final NodeConfig.HttpAuth auth;
  private final HttpTokens tokens;
  private final SecurityStats stats;
  private final AtomicInteger open;
  private final Map<HttpConnection, Connection> connections = new HashMap<>();
  private final AddressCounts byAddress;
  private final Map<Refusal, LogLimiter> logs = new EnumMap<>(Refusal.class);
  private final LogLimiter dropLog = new LogLimiter(LOG_INTERVAL_NANOS);
  private final String keepAlive;
  private Vertx vertx;
  private long sweepTimer = -1;

  public HttpGuard(NodeConfig config, SecurityStats stats) {
    this.limits = config.limits();
    this.tls = config.security().tls();
    this.auth = config.security().http();
    this.stats = stats;
    this.open = stats.open(Intake.HTTP);
    this.byAddress = new AddressCounts(limits.maxHttpConnectionsPerAddress());
    this.tokens = auth.tokensFile() == null ? null : HttpTokens.load(auth.tokensFile());
    this.keepAlive = "timeout=" + Math.max(1, limits.idleTimeout().toSeconds() - KEEP_ALIVE_MARGIN_SECONDS);
    for (Refusal r : Refusal.values()) logs.put(r, new LogLimiter(LOG_INTERVAL_NANOS));
    if (tokens != null) log.info("HTTP API: {} bearer tokens in the tokens file", tokens.size());
  }

  /**
   * TLS, and HTTP/1.1 only: with clear-text HTTP/2 on, Vert.x holds a new connection until its first 24 bytes tell
   * the protocol, out of reach of any deadline, which a slow loris would use.
   */
  public HttpServerOptions serverOptions() {
    HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
    options.setSslHandshakeTimeout(limits.connectTimeout().toMillis());
    options.setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    TlsFiles.apply(options, tls);
    return options;
  }

  public boolean tls() {
    return tls.enabled() && tls.onHttp();
  }

  /** Connection limits and deadlines on {@code server}; call {@link #close()} when it stops. */
  public void attach(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    server.connectionHandler(this::connected);
    server.exceptionHandler(e -> {
      if (isTls(e)) refuse(Refusal.TLS_HANDSHAKE, "-", e.getClass().getSimpleName());
    });
    sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> sweep());
  }

  /** Counts a request the server could not parse (HttpApi answers it): refused, {@code malformed_request}. */
  public void unparsed(HttpServerRequest request, String detail) {
    refuse(Refusal.MALFORMED_REQUEST, address(request.connection()), detail);
  }

  public void close() {
    if (vertx != null && sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
  }

  /** The first route of the router: every request passes here. */
  public Handler<RoutingContext> handler() {
    return this::authorise;
  }

  private final class Connection {
    final HttpConnection conn;
    final String host;
    final TokenBucket bucket;
    final AbuseClock abuse;
    long idleDeadline;
    /** Since when no request is in progress: since it connected, or since its last answer. */
    long idleSince;
    HttpServerRequest current;
    long requestDeadline;
    int requests;

    Connection(HttpConnection conn, String host, long now) {
      this.conn = conn;
      this.host = host;
      this.idleSince = now;
      this.bucket = new TokenBucket(limits.messagesPerSecond(), limits.burst(), now);
      this.abuse = new AbuseClock(limits.dropAfter().toNanos());
      this.idleDeadline = now + limits.requestTimeout().toNanos();
    }
  }

  private void connected(HttpConnection conn) {
    int n = open.incrementAndGet();
    String host = host(conn);
    boolean counted = byAddress.add(host);
    conn.closeHandler(v -> {
      open.decrementAndGet();
      if (counted) byAddress.remove(host);
      connections.remove(conn);
    });
    if (!counted) {
      refuse(Refusal.ADDRESS_LIMIT, address(conn), "over " + byAddress.maxPerAddress() + " from " + host);
      conn.close();
      return;
    }
    if (n > limits.maxHttpConnections() && !roomMade()) {
      refuse(Refusal.CONNECTION_LIMIT, address(conn), "over " + limits.maxHttpConnections());
      conn.close();
      return;
    }
    connections.put(conn, new Connection(conn, host, System.nanoTime()));
  }

  /**
   * At the limit, a connection with no request in progress gives way to a new one, so that idle connections cannot
   * shut others out: a keep-alive connection waiting for its next request (its client reconnects when it has
   * something to send), or one that has sent nothing yet (a client that means to send does so at once; one that
   * holds connections open silently is what this is for). Taken from the address holding most connections, the
   * longest idle of those. False when every connection has a request in progress.
   */
  private boolean roomMade() {
    Connection longestIdle = null;
    int mostFromItsAddress = 0;
    for (Connection c : connections.values()) {
      if (c.current != null) continue;
      int fromAddress = byAddress.count(c.host);
      if (longestIdle == null || fromAddress > mostFromItsAddress
          || (fromAddress == mostFromItsAddress && c.idleSince - longestIdle.idleSince < 0)) {
        longestIdle = c;
        mostFromItsAddress = fromAddress;
      }
    }
    if (longestIdle == null) return false;
    drop(longestIdle, Drop.IDLE, "idle, closed to make room for a new connection at " + limits.maxHttpConnections());
    return true;
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Connection c : List.copyOf(connections.values())) {
      if (c.current != null) {
        if (!c.current.isEnded() && now - c.requestDeadline > 0) {
          drop(c, Drop.SLOW_CLIENT, "a request did not arrive whole within " + limits.requestTimeout());
        }
      } else if (now - c.idleDeadline > 0) {
        drop(c, c.requests == 0 ? Drop.SLOW_CLIENT : Drop.IDLE, c.requests == 0
            ? "no whole request within " + limits.requestTimeout() + " of connecting"
            : "no request within " + limits.idleTimeout() + " of the last answer");
      }
    }
  }

  private void drop(Connection c, Drop reason, String why) {
    connections.remove(c.conn);
    stats.dropped(Intake.HTTP, reason);
    // Keep-alive connections closing after a quiet spell are ordinary: counted, but not worth a warning.
    long skipped = reason == Drop.IDLE ? -1 : dropLog.admit(System.nanoTime());
    if (skipped >= 0) {
      log.warn("HTTP connection from {} dropped: {}{}", address(c.conn), why,
          skipped > 0 ? "; " + skipped + " more such drops not logged" : "");
    }
    c.conn.close();
  }

  private void authorise(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    long now = System.nanoTime();
    Connection c = connections.get(request.connection());
    if (c != null) {
      c.current = request;
      c.requests++;
      c.requestDeadline = now + limits.requestTimeout().toNanos();
      rc.addEndHandler(ar -> {
        if (c.current == request) c.current = null;
        c.idleSince = System.nanoTime();
        c.idleDeadline = c.idleSince + limits.idleTimeout().toNanos();
      });
      if (request.version() != HttpVersion.HTTP_2) rc.response().putHeader("Keep-Alive", keepAlive);
      if (!c.bucket.take(now)) {
        refuse(Refusal.RATE_LIMITED, address(request.connection()), "over " + limits.messagesPerSecond() + " requests/s");
        rc.response().putHeader("Retry-After", Long.toString(c.bucket.secondsToNextToken()));
        answer(rc, 429, "too many requests on this connection: over " + limits.messagesPerSecond() + " a second; send again later");
        strike(c, now);
        return;
      }
    }
    String path = rc.normalizedPath();
    if (path.startsWith(HEALTH_PREFIX) || (auth.openMetrics() && METRICS_PATH.equals(path)) || consoleFile(request.method(), path)) {
      rc.next();
      return;
    }
    HttpTokens.Role role;
    String name;
    HubScope hubs = HubScope.ANY;
    String header = request.getHeader("Authorization");
    if (header != null) {
      HttpTokens.Holder holder = header.regionMatches(true, 0, BEARER, 0, BEARER.length()) && tokens != null
          ? tokens.find(header.substring(BEARER.length()).strip()) : null;
      if (holder == null) {
        unauthenticated(rc, c, now, "the bearer token is not valid");
        return;
      }
      role = holder.role();
      name = holder.name();
      hubs = holder.hubs();
    } else {
      String commonName = certificateName(request);
      if (commonName != null) {
        role = HttpTokens.Role.CLIENT;
        name = commonName;
      } else if (auth.allowAnonymous()) {
        role = HttpTokens.Role.CLIENT;
        name = Principal.ANONYMOUS.name();
      } else {
        unauthenticated(rc, c, now, "send Authorization: Bearer <token>, or a client certificate");
        return;
      }
    }
    if (role != HttpTokens.Role.ADMIN && changesTheNode(request.method(), path)) {
      refuse(Refusal.FORBIDDEN, address(request.connection()), request.method() + " " + path + " by " + LogLimiter.printable(name, 64));
      answer(rc, 403, "this needs an admin token");
      return;
    }
    // A bearer token is a shared secret, as a password is.
    SecurityStats.LoginMethod method = header != null ? SecurityStats.LoginMethod.PASSWORD
        : Principal.ANONYMOUS.name().equals(name) ? SecurityStats.LoginMethod.ANONYMOUS : SecurityStats.LoginMethod.CERTIFICATE;
    rc.put(PRINCIPAL, new Principal(name, method, hubs));
    rc.put(ROLE, role.name().toLowerCase(java.util.Locale.ROOT));
    rc.next();
  }

  /** The console's static files: a page and its scripts and styles, no data. */
  private static boolean consoleFile(HttpMethod method, String path) {
    return (method == HttpMethod.GET || method == HttpMethod.HEAD) && (CONSOLE_PAGE.equals(path) || path.startsWith(CONSOLE_PREFIX));
  }

  /**
   * The alerts of a request its caller may send: those for hubs outside the caller's binding (the hubs field of
   * its token's line) become {@code hub_not_allowed} rejections, counted per alert, as on MQTT.
   */
  public static ParsedMessage scope(RoutingContext rc, ParsedMessage parsed) {
    Principal p = rc.get(PRINCIPAL);
    return p == null ? parsed : p.hubs().bind(parsed);
  }

  /** Reads are open to every authenticated caller, and so is the alert intake; the rest needs admin. */
  static boolean changesTheNode(HttpMethod method, String path) {
    if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) return false;
    return !(method == HttpMethod.POST && ALERTS_PATH.equals(path));
  }

  private void unauthenticated(RoutingContext rc, Connection c, long now, String detail) {
    refuse(Refusal.UNAUTHENTICATED, address(rc.request().connection()), rc.request().method() + " " + rc.normalizedPath());
    rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"csp-edge-node\"");
    answer(rc, 401, detail);
    if (c != null) strike(c, now);
  }

  private void strike(Connection c, long now) {
    if (c.abuse.refused(now)) drop(c, Drop.PERSISTENT_ABUSE, "refusals went on for " + limits.dropAfter());
  }

  private static String certificateName(HttpServerRequest request) {
    HttpConnection conn = request.connection();
    if (!conn.isSsl()) return null;
    try {
      List<Certificate> chain = conn.peerCertificates();
      return TlsFiles.clientCommonName(chain);
    } catch (SSLPeerUnverifiedException none) {
      return null;
    }
  }

  private void refuse(Refusal reason, String from, String detail) {
    stats.refused(Intake.HTTP, reason);
    long skipped = logs.get(reason).admit(System.nanoTime());
    if (skipped >= 0) {
      log.warn("HTTP request from {} refused: {} ({}){}", from, reason.explanation(), detail,
          skipped > 0 ? "; " + skipped + " more such refusals not logged" : "");
    }
  }

  /** The router's failure handler answers it as a problem (application/problem+json, ops.Problems). */
  private static void answer(RoutingContext rc, int status, String detail) {
    rc.fail(new HttpException(status, detail));
  }

  private static boolean isTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SSLException) return true;
    return e.getClass().getName().contains("NotSsl");
  }

  /** The client's IP address, without its port: what connections are counted by. */
  private static String host(HttpConnection conn) {
    try {
      return conn.remoteAddress().hostAddress();
    } catch (RuntimeException closed) {
      return "-";
    }
  }

  private static String address(HttpConnection conn) {
    return conn == null ? "-" : String.valueOf(conn.remoteAddress());
  }
}
