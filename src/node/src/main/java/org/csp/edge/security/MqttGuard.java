package org.csp.edge.security;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csp.edge.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT intake's door: TLS and connect options, the CONNECT decision (connection limit, client id length,
 * client certificate or password from the credentials file, or anonymous where allowed), and each connection's
 * {@link MqttSession} (rate, hub binding, idle and abuse drops). One guard serves every server instance; each
 * instance gets its own {@link Instance} for its event loop. Password checks (bcrypt, slow on purpose) run on a
 * small worker pool of their own, so a flood of bad logins cannot take the workers the rest of the node uses, and
 * an address past its allowance of failed checks ({@link FailedLogins}) is refused before it reaches that pool.
 */
public final class MqttGuard {
  private static final Logger log = LoggerFactory.getLogger(MqttGuard.class);
  private static final String LOGIN_POOL = "csp-mqtt-logins";
  private static final int LOGIN_CACHE_MAX_ENTRIES = 100_000;
  private static final long SWEEP_INTERVAL_MS = 1_000;
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int LOGGED_NAME_CHARS = 64;

  final NodeConfig.Limits limits;
  private final NodeConfig.Tls tls;
  private final NodeConfig.MqttAuth auth;
  private final Credentials credentials;
  /** Checked when the user is unknown, so that a refusal takes as long whether or not the user exists. */
  private final String standInHash;
  private final LoginCache cache;
  final SecurityStats stats;
  private final AtomicInteger open;
  private final AddressCounts byAddress;
  private final java.util.concurrent.ConcurrentHashMap<String, MqttSession> byClientId = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger pendingLogins = new AtomicInteger();
  private final FailedLogins failedLogins;
  private final Map<Refusal, LogLimiter> refusalLogs = new EnumMap<>(Refusal.class);
  private final Map<Drop, LogLimiter> dropLogs = new EnumMap<>(Drop.class);

  public MqttGuard(NodeConfig config, SecurityStats stats) {
    this.limits = config.limits();
    this.tls = config.security().tls();
    this.auth = config.security().mqtt();
    this.stats = stats;
    this.open = stats.open(Intake.MQTT);
    this.byAddress = new AddressCounts(limits.maxMqttConnectionsPerAddress());
    this.credentials = auth.credentialsFile() == null ? null : Credentials.load(auth.credentialsFile());
    this.standInHash = credentials == null ? null
        : PasswordHashes.hash(HttpTokens.newToken().toCharArray(), credentials.typicalCost());
    this.cache = new LoginCache(auth.loginCacheTtl().toNanos(), LOGIN_CACHE_MAX_ENTRIES);
    this.failedLogins = new FailedLogins(auth.failedLoginsPerAddress(), auth.failedLoginWindow());
    for (Refusal r : Refusal.values()) refusalLogs.put(r, new LogLimiter(LOG_INTERVAL_NANOS));
    for (Drop d : Drop.values()) dropLogs.put(d, new LogLimiter(LOG_INTERVAL_NANOS));
    if (credentials != null) log.info("MQTT intake: {} clients in the credentials file", credentials.size());
  }

  public NodeConfig.Limits limits() {
    return limits;
  }

  /** TLS, client certificates, the CONNECT timeout and the client id limit (MQTT 3.1; 3.1.1 is checked at CONNECT). */
  public void configure(MqttServerOptions options) {
    TlsFiles.apply(options, tls);
    options.setTimeoutOnConnect((int) Math.max(1, limits.connectTimeout().toSeconds()))
        .setMaxClientIdLength(limits.maxClientIdLength());
  }

  /** For one server instance: its login workers and the idle sweep of its connections. Close it when it stops. */
  public Instance instance(Vertx vertx) {
    return new Instance(vertx);
  }

  public final class Instance {
    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final Set<MqttSession> sessions = new HashSet<>();
    private final long sweepTimer;

    private Instance(Vertx vertx) {
      this.vertx = vertx;
      this.workers = vertx.createSharedWorkerExecutor(LOGIN_POOL, auth.loginThreads());
      this.sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> sweep());
    }

    /** A new connection whose CONNECT has arrived: call {@link MqttSession#admit()} once its handlers are set. */
    public MqttSession open(MqttEndpoint endpoint) {
      return new MqttSession(MqttGuard.this, this, endpoint, System.nanoTime());
    }

    public void close() {
      vertx.cancelTimer(sweepTimer);
      workers.close();
    }

    void track(MqttSession s) {
      sessions.add(s);
    }

    void untrack(MqttSession s) {
      sessions.remove(s);
    }

    private void sweep() {
      long now = System.nanoTime();
      failedLogins.sweep(now);
      long idle = limits.idleTimeout().toNanos();
      for (MqttSession s : Set.copyOf(sessions)) {
        if (now - s.lastActivity() > idle) s.drop(Drop.IDLE, "no packet for " + limits.idleTimeout().toSeconds() + " s");
      }
    }

    Future<Boolean> check(String hash, String password) {
      return workers.executeBlocking(() -> PasswordHashes.matches(hash, password.toCharArray()), false);
    }
  }

  /** The verdict on a CONNECT. */
  record Verdict(Principal principal, Refusal refusal, MqttConnectReturnCode code) {
    static Verdict accept(Principal p) {
      return new Verdict(p, null, MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }

    static Verdict refuse(Refusal r, MqttConnectReturnCode code) {
      return new Verdict(null, r, code);
    }
  }

  /** Connection counting and client id first (cheap), then who the client is. */
  Future<Verdict> decide(MqttEndpoint endpoint, Instance instance) {
    String clientId = endpoint.clientIdentifier();
    if (clientId != null && (clientId.length() > limits.maxClientIdLength() || !org.csp.edge.text.UnsafeCharacters.mqttClientId(clientId))) {
      return Future.succeededFuture(Verdict.refuse(Refusal.CLIENT_ID, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED));
    }
    if (ConnectFields.tooLarge(endpoint)) {
      return Future.succeededFuture(Verdict.refuse(Refusal.CONNECT_TOO_LARGE, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED));
    }
    String commonName = endpoint.isSsl() ? TlsFiles.clientCommonName(endpoint.sslSession()) : null;
    if (commonName != null) {
      Credentials.Entry entry = credentials == null ? null : credentials.find(commonName);
      return Future.succeededFuture(Verdict.accept(new Principal(commonName, SecurityStats.LoginMethod.CERTIFICATE,
          entry == null ? HubScope.ANY : entry.hubs())));
    }
    MqttAuth given = endpoint.auth();
    if (given == null || given.getUsername() == null || credentials == null) {
      return Future.succeededFuture(auth.allowAnonymous() ? Verdict.accept(Principal.ANONYMOUS)
          : Verdict.refuse(Refusal.NO_CREDENTIALS, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED));
    }
    String user = given.getUsername();
    String password = given.getPassword() == null ? "" : given.getPassword();
    Verdict wrong = Verdict.refuse(Refusal.BAD_CREDENTIALS, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
    if (user.length() > Credentials.MAX_NAME_CHARS || password.isEmpty()
        || password.getBytes(StandardCharsets.UTF_8).length > PasswordHashes.MAX_PASSWORD_BYTES) {
      return Future.succeededFuture(wrong);
    }
    Credentials.Entry entry = credentials.find(user);
    if (entry != null && cache.remembers(user, password, System.nanoTime())) {
      return Future.succeededFuture(Verdict.accept(new Principal(user, SecurityStats.LoginMethod.PASSWORD, entry.hubs())));
    }
    String address = host(endpoint);
    if (!failedLogins.begin(address, System.nanoTime())) {
      return Future.succeededFuture(Verdict.refuse(Refusal.LOGIN_THROTTLED, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE));
    }
    if (pendingLogins.incrementAndGet() > auth.maxPendingLogins()) {
      pendingLogins.decrementAndGet();
      failedLogins.succeeded(address); // not checked, so not a failure
      return Future.succeededFuture(Verdict.refuse(Refusal.LOGIN_BACKLOG, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE));
    }
    boolean known = entry != null && entry.passwordLogin();
    return instance.check(known ? entry.hash() : standInHash, password)
        .andThen(ar -> pendingLogins.decrementAndGet())
        .map(ok -> {
          if (!ok || !known) return wrong;
          failedLogins.succeeded(address);
          cache.remember(user, password, System.nanoTime());
          return Verdict.accept(new Principal(user, SecurityStats.LoginMethod.PASSWORD, entry.hubs()));
        });
  }

  /**
   * A session admitted with {@code key} (its principal and client id): a connected one with the same key is closed
   * (MQTT 3.1.1, 3.1.4-2: a client reconnecting after a half-open connection takes its place). Keyed by principal
   * too, so that a client cannot close another principal's connection by reusing its id.
   */
  void tookClientId(String key, MqttSession session) {
    MqttSession before = byClientId.put(key, session);
    if (before != null && before != session) before.takenOver();
  }

  void releasedClientId(String key, MqttSession session) {
    byClientId.remove(key, session);
  }

  /** Counts a connection from {@code host}; false, and not counted, past limits.maxMqttConnectionsPerAddress. */
  boolean connectedFrom(String host) {
    return byAddress.add(host);
  }

  /** A connection {@link #connectedFrom} counted has closed. */
  void disconnectedFrom(String host) {
    byAddress.remove(host);
  }

  boolean overConnectionLimit() {
    return open.get() > limits.maxMqttConnections();
  }

  AtomicInteger open() {
    return open;
  }

  void logRefusal(Refusal reason, MqttEndpoint endpoint) {
    long skipped = refusalLogs.get(reason).admit(System.nanoTime());
    if (skipped < 0) return;
    MqttAuth given = endpoint.auth();
    log.warn("MQTT connection from {} refused: {} (user {}, client id {}){}", address(endpoint), reason.explanation(),
        LogLimiter.printable(given == null ? null : given.getUsername(), LOGGED_NAME_CHARS),
        LogLimiter.printable(endpoint.clientIdentifier(), LOGGED_NAME_CHARS),
        skipped > 0 ? "; " + skipped + " more such refusals not logged" : "");
  }

  /**
   * A packet vertx-mqtt refused because its connection has no session (before CONNECT, or after the node closed the
   * connection): it has no endpoint to answer on. Counted and logged at most once per interval, so that a client
   * cannot fill the log with them; the connection closes at its connect timeout, or is closed already.
   */
  public void packetWithoutSession() {
    stats.refused(Intake.MQTT, Refusal.NOT_CONNECTED);
    long skipped = refusalLogs.get(Refusal.NOT_CONNECTED).admit(System.nanoTime());
    if (skipped < 0) return;
    log.warn("MQTT packet refused: {}{}", Refusal.NOT_CONNECTED.explanation(),
        skipped > 0 ? "; " + skipped + " more such packets not logged" : "");
  }

  void logDrop(Drop reason, String detail, MqttEndpoint endpoint, Principal principal) {
    long skipped = dropLogs.get(reason).admit(System.nanoTime());
    if (skipped < 0) return;
    log.warn("MQTT connection from {} ({}) dropped: {}{}", address(endpoint),
        principal == null ? "-" : LogLimiter.printable(principal.name(), LOGGED_NAME_CHARS), detail,
        skipped > 0 ? "; " + skipped + " more such drops not logged" : "");
  }

  /** The client's IP address (without port): what failed logins are counted by. */
  static String host(MqttEndpoint endpoint) {
    try {
      return endpoint.remoteAddress().hostAddress();
    } catch (RuntimeException closed) {
      return "-";
    }
  }

  private static String address(MqttEndpoint endpoint) {
    try {
      return String.valueOf(endpoint.remoteAddress());
    } catch (RuntimeException closed) {
      return "-";
    }
  }
}
