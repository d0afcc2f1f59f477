package org.csp.edge.config;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.recipient.Recipients;

/**
 * Everything a node can be told, with its defaults. Built by {@link ConfigLoader} from a YAML or JSON file plus
 * environment overrides; README.md lists every setting. Values are checked here so that a bad configuration
 * stops the node at start with a message that names the setting.
 */
public record NodeConfig(
    String region,
    String nodeId,
    String bindHost,
    int mqttPort,
    int httpPort,
    int mqttInstances,
    Limits limits,
    Upstream upstream,
    EmbeddedBroker embeddedBroker,
    Outbox outbox,
    String clusterConfig,
    Path dataDir,
    Duration sweepInterval,
    Duration receiptInterval,
    Duration statusLogInterval,
    Duration heartbeatInterval,
    Duration stopTimeout,
    int maxGatheredReceipts,
    AlertPolicy policy,
    Security security,
    Durability durability,
    Recipients recipients,
    Console console,
    Silences silences,
    Rollups rollups,
    Preview preview,
    Inventory inventory,
    Register register,
    Digests digests) {
  /** The embedded rollup store's directory under the data directory (when no store URL is set). */
  public static final String ROLLUPS_DIRECTORY = "rollups";

  public NodeConfig {
    if (sweepInterval.toMillis() < 10) throw new ConfigException("node.sweepInterval must be at least 10ms");
    if (receiptInterval.toMillis() < 1) throw new ConfigException("node.receiptInterval must be at least 1ms");
    if (stopTimeout.compareTo(outbox.drainTimeout()) <= 0) {
      throw new ConfigException("node.stopTimeout must be longer than outbox.drainTimeout");
    }
    if (maxGatheredReceipts < 1) throw new ConfigException("node.maxGatheredReceipts must be at least 1");
  }

  /**
   * Wire-format limits (src/docs/wire-format.md, "Limits") and the limits that keep a flood from taking the node
   * (src/docs/security.md, "Limits"). {@code messagesPerSecond} 0 means no rate limit.
   * {@code maxPendingOutputBytesPerConnection}: answers written to an MQTT connection and not yet taken by its
   * socket (the client does not read them); past it the node stops reading that connection until they drain.
   * {@code maxUndecidedAlerts}: alerts taken and not yet decided, node-wide; past it a QoS 0 message and a new HTTP
   * body are refused (they have no acknowledgement to hold back), as while the outbox is full.
   */
  public record Limits(
      int maxMessageBytes,
      int maxPayloadBase64Chars,
      int maxAlertsPerBatch,
      int maxMqttConnections,
      int maxHttpConnections,
      int maxMqttConnectionsPerAddress,
      int maxHttpConnectionsPerAddress,
      int maxClientIdLength,
      Duration connectTimeout,
      Duration idleTimeout,
      Duration requestTimeout,
      double messagesPerSecond,
      int burst,
      Duration dropAfter,
      int maxPendingAcksPerConnection,
      int maxPendingOutputBytesPerConnection,
      int maxUndecidedAlerts) {
    public Limits {
      if (maxMessageBytes < 1024) throw new ConfigException("limits.maxMessageBytes must be at least 1024");
      if (maxPayloadBase64Chars < 4) throw new ConfigException("limits.maxPayloadBase64 must be at least 4");
      if (maxAlertsPerBatch < 1) throw new ConfigException("limits.maxAlertsPerBatch must be at least 1");
      if (maxMqttConnections < 1) throw new ConfigException("limits.maxMqttConnections must be at least 1");
      if (maxHttpConnections < 1) throw new ConfigException("limits.maxHttpConnections must be at least 1");
      if (maxMqttConnectionsPerAddress < 1) throw new ConfigException("limits.maxMqttConnectionsPerAddress must be at least 1");
      if (maxHttpConnectionsPerAddress < 1) throw new ConfigException("limits.maxHttpConnectionsPerAddress must be at least 1");
      if (maxClientIdLength < 1 || maxClientIdLength > 65_535) throw new ConfigException("limits.maxClientIdLength must be 1..65535");
      if (connectTimeout.toSeconds() < 1) throw new ConfigException("limits.connectTimeout must be at least 1s");
      if (idleTimeout.toSeconds() < 1) throw new ConfigException("limits.idleTimeout must be at least 1s");
      if (requestTimeout.toMillis() < 100) throw new ConfigException("limits.requestTimeout must be at least 100ms");
      if (messagesPerSecond < 0 || Double.isNaN(messagesPerSecond) || Double.isInfinite(messagesPerSecond)) {
        throw new ConfigException("limits.messagesPerSecond must be 0 (no limit) or more");
      }
      if (burst < 1) throw new ConfigException("limits.burst must be at least 1");
      if (dropAfter.isNegative() || dropAfter.isZero()) throw new ConfigException("limits.dropAfter must be positive");
      if (maxPendingAcksPerConnection < 1) throw new ConfigException("limits.maxPendingAcksPerConnection must be at least 1");
      if (maxUndecidedAlerts < 1) throw new ConfigException("limits.maxUndecidedAlerts must be at least 1");
      if (maxPendingOutputBytesPerConnection < 1024) {
        throw new ConfigException("limits.maxPendingOutputBytesPerConnection must be at least 1024");
      }
    }
  }

  /**
   * TLS, authentication and authorisation of both intakes and of the upstream link (src/docs/security.md). Paths
   * name mounted files; the only secret held here, the upstream password from the environment, never prints.
   *
   */
  public record Security(Tls tls, MqttAuth mqtt, HttpAuth http, UpstreamTls upstream, boolean allowPlaintextCredentials) {}

  /**
   * The intakes' TLS: PEM certificate chain and key (a kubernetes.io/tls Secret), and optionally the CAs whose
   * client certificates identify clients. {@code clientAuth} applies to MQTT; HTTP only ever requests a client
   * certificate, so that probes and scrapers without one still reach the health endpoints.
   */
  public record Tls(Path certFile, Path keyFile, Path clientCaFile, ClientAuth clientAuth, boolean onMqtt, boolean onHttp) {
    public Tls {
      if ((certFile == null) != (keyFile == null)) {
        throw new ConfigException("security.tls.certFile and keyFile (NODE_TLS_CERT_FILE, NODE_TLS_KEY_FILE) go together");
      }
      if (clientCaFile != null && certFile == null) {
        throw new ConfigException("security.tls.clientCaFile needs TLS: set security.tls.certFile and keyFile too");
      }
      if (clientAuth == ClientAuth.REQUIRED && clientCaFile == null) {
        throw new ConfigException("security.tls.clientAuth: required needs security.tls.clientCaFile");
      }
    }

    public boolean enabled() {
      return certFile != null;
    }

    public boolean clientCertificates() {
      return clientCaFile != null && clientAuth != ClientAuth.NONE;
    }
  }

  /**
   * MQTT logins: whether a client without credentials is let in, the credentials file, how long a successful
   * password check is remembered (reconnect storms then cost no hashing), how many checks may wait at once, on how
   * many threads they run, and how many failed checks one source address may cause per window before its further
   * logins are refused without a check (a flood from one address then costs no hashing and no place in the queue).
   */
  public record MqttAuth(boolean allowAnonymous, Path credentialsFile, Duration loginCacheTtl, int maxPendingLogins,
      int loginThreads, int failedLoginsPerAddress, Duration failedLoginWindow) {
    public MqttAuth {
      if (maxPendingLogins < 1) throw new ConfigException("security.mqtt.maxPendingLogins must be at least 1");
      if (loginThreads < 1) throw new ConfigException("security.mqtt.loginThreads must be at least 1");
      if (failedLoginsPerAddress < 1) throw new ConfigException("security.mqtt.failedLoginsPerAddress must be at least 1");
      if (failedLoginWindow.toSeconds() < 1) throw new ConfigException("security.mqtt.failedLoginWindow must be at least 1s");
    }
  }

  /**
   * HTTP callers: whether a caller without a token or certificate is let in, the bearer tokens file, and whether
   * /metrics is open to scrapers without a token (the health probes always are).
   */
  public record HttpAuth(boolean allowAnonymous, Path tokensFile, boolean openMetrics) {}

  /**
   * The link to the DSP's broker when {@code upstream.url} is {@code ssl://}: CAs to trust (default: the JVM's),
   * an optional client certificate, host name verification, and the password from the environment (the password
   * file, {@code upstream.passwordFile}, wins when both are set).
   */
  public record UpstreamTls(Path caFile, Path certFile, Path keyFile, boolean verifyHost, Secret password) {
    public UpstreamTls {
      if ((certFile == null) != (keyFile == null)) {
        throw new ConfigException("security.upstream.certFile and keyFile (NODE_UPSTREAM_CERT_FILE, NODE_UPSTREAM_KEY_FILE) go together");
      }
    }
  }

  /**
   * The DSP's broker. A null {@code url} means: start the embedded broker and publish there. No event's MQTT message
   * is larger than {@code maxMessageBytes}; an event the broker refuses (its connection closed with the event the
   * oldest unacknowledged, {@code deadLetterAfter} times in a row) goes to the dead letters (src/docs/operations.md).
   */
  public record Upstream(
      URI url,
      String username,
      Path passwordFile,
      String topicPrefix,
      String clientId,
      int maxInflight,
      Duration ackTimeout,
      Duration reconnectMin,
      Duration reconnectMax,
      int maxMessageBytes,
      int deadLetterAfter) {
    public Upstream {
      if (url != null && !("tcp".equals(url.getScheme()) || "ssl".equals(url.getScheme()))) {
        throw new ConfigException("NODE_UPSTREAM_URL / upstream.url must be tcp://host:port or ssl://host:port, was " + url);
      }
      if (url != null && (url.getHost() == null || url.getPort() < 0)) {
        throw new ConfigException("upstream.url needs a host and a port, e.g. tcp://dsp-broker:1883; was " + url);
      }
      if (maxInflight < 1 || maxInflight > 65_000) throw new ConfigException("upstream.maxInflight must be 1..65000");
      if (!topicPrefix.endsWith("/")) throw new ConfigException("upstream.topicPrefix must end with '/'");
      if (maxMessageBytes < 4096) throw new ConfigException("upstream.maxMessageBytes must be at least 4096");
      if (deadLetterAfter < 1) throw new ConfigException("upstream.deadLetterAfter must be at least 1");
    }

    public boolean embedded() {
      return url == null;
    }
  }

  public record EmbeddedBroker(String host, int port) {}

  /**
   * Events waiting for the upstream broker's PUBACK. Past {@code capacity} the node applies back-pressure
   * southbound (holds PUBACKs, answers HTTP 503) until the depth falls to {@code resumeAt}; it never drops. The
   * same holds in payload bytes: past {@code capacityBytes}, until the bytes fall to the same share of it.
   */
  public record Outbox(int capacity, int resumeAt, long capacityBytes, Duration drainTimeout) {
    public Outbox {
      if (capacity < 1) throw new ConfigException("outbox.capacity must be at least 1");
      if (capacityBytes < 1) throw new ConfigException("outbox.capacityBytes must be at least 1");
      if (resumeAt < 0 || resumeAt >= capacity) throw new ConfigException("outbox.resumeAt must be below outbox.capacity");
    }
  }

  /**
   * The local journal of what a PUBACK promises (src/docs/design.md, "A node that crashes"): on or off, and how
   * often it is forced to the disk ({@code fsyncInterval} null: never; the page cache then keeps it across a
   * crash of the process, not of the machine). A segment past {@code segmentBytes} starts the next and is compacted.
   * A hub's operations are journaled as their inputs; its whole image again once those since its last image add up
   * to {@code changesPerImage} times the image's size (more: fewer bytes per alert, more to replay at a start).
   */
  /**
   * The record of recent traffic that {@code POST /v1/policy/preview} replays (org.csp.edge.preview): at most
   * {@code recordSize} alerts over {@code window}, cut into {@code slices} that each keep a uniform sample when full;
   * a replay stops after {@code timeout}.
   */
  public record Preview(int recordSize, Duration window, int slices, Duration timeout) {
    public static final Preview DEFAULTS = new Preview(200_000, Duration.ofHours(1), 60, Duration.ofSeconds(30));

    public Preview {
      if (slices < 1) throw new ConfigException("preview.slices must be at least 1");
      if (recordSize < slices) throw new ConfigException("preview.recordSize must be at least preview.slices");
      if (window.toMillis() < slices) throw new ConfigException("preview.window must be at least preview.slices milliseconds");
    }
  }

  /** Operators' silences (org.csp.edge.silence): their bounds and how they are shared and kept. */
  public record Silences(int maxActive, Duration maxDuration, Duration retention, Duration unusedAfter,
      Duration syncInterval) {
    public static final Silences DEFAULTS =
        new Silences(1000, Duration.ofDays(30), Duration.ofDays(7), Duration.ofHours(1), Duration.ofSeconds(5));

    public Silences {
      if (maxActive < 1) throw new ConfigException("silences.maxActive must be at least 1");
      if (syncInterval.toMillis() < 100) throw new ConfigException("silences.syncInterval must be at least 100ms");
    }
  }

  /**
   * {@code journal}: on; with {@code whenAlone} (the setting's {@code auto}), on only for a member that starts alone
   * (decided at start, once it knows whether it joined a running cluster).
   */
  public record Durability(boolean journal, Duration fsyncInterval, int segmentBytes, int changesPerImage,
      int pendingBytes, boolean whenAlone) {
    public static final int MIN_CHANGES_PER_IMAGE = 1;
    public static final int MAX_CHANGES_PER_IMAGE = 64;
    public static final int DEFAULT_CHANGES_PER_IMAGE = 4;
    /** Records appended and not yet written past which appenders wait for the journal's writer (back-pressure). */
    public static final int DEFAULT_PENDING_BYTES = 4 * 1024 * 1024;
    public static final int MIN_PENDING_BYTES = 4096;

    public Durability {
      if (fsyncInterval != null && fsyncInterval.toMillis() < 1) throw new ConfigException("durability.fsyncInterval must be at least 1ms");
      if (segmentBytes < 4096) throw new ConfigException("durability.segmentBytes must be at least 4096");
      if (changesPerImage < MIN_CHANGES_PER_IMAGE || changesPerImage > MAX_CHANGES_PER_IMAGE) {
        throw new ConfigException("durability.changesPerImage must be from " + MIN_CHANGES_PER_IMAGE + " to " + MAX_CHANGES_PER_IMAGE);
      }
      if (pendingBytes < MIN_PENDING_BYTES) throw new ConfigException("durability.pendingBytes must be at least " + MIN_PENDING_BYTES);
    }

    public Durability(boolean journal, Duration fsyncInterval, int segmentBytes, int changesPerImage, int pendingBytes) {
      this(journal, fsyncInterval, segmentBytes, changesPerImage, pendingBytes, false);
    }

    public Durability(boolean journal, Duration fsyncInterval, int segmentBytes, int changesPerImage) {
      this(journal, fsyncInterval, segmentBytes, changesPerImage, DEFAULT_PENDING_BYTES);
    }

    public Durability(boolean journal, Duration fsyncInterval, int segmentBytes) {
      this(journal, fsyncInterval, segmentBytes, DEFAULT_CHANGES_PER_IMAGE);
    }

    public boolean fsync() {
      return fsyncInterval != null;
    }

    /** Whether a member journals, knowing whether it started alone. */
    public boolean journalFor(boolean alone) {
      return journal || whenAlone && alone;
    }
  }

  /**
   * The operator console at {@code /} (src/docs/operations.md, "The console"): on or off, and its live stream's
   * bounds: at most one update every {@code liveInterval}, lists cut to {@code liveTop} entries, at most
   * {@code liveMaxSubscribers} streams open at once.
   */
  public record Console(boolean enabled, Duration liveInterval, int liveTop, int liveMaxSubscribers) {
    public Console {
      if (liveInterval.toMillis() < 100) throw new ConfigException("console.liveInterval must be at least 100ms");
      if (liveTop < 1) throw new ConfigException("console.liveTop must be at least 1");
      if (liveMaxSubscribers < 1) throw new ConfigException("console.liveMaxSubscribers must be at least 1");
    }
  }

  /**
   * The rollups (src/docs/design.md, "Rollups"): counted or not (off: the bench's comparison), how often flushed,
   * how long an hour stays live after its end, how long shared, swept and kept; the sketches' sizes; the cap of
   * cells in memory; the store (a JDBC URL: PostgreSQL, or H2 in the data directory by default) and its login.
   */
  public record Rollups(boolean enabled, Duration flushInterval, Duration hourGrace, Duration shareFor,
      Duration sweepInterval, Duration hourlyRetention, Duration dailyRetention, int distinctPrecision, int topItems,
      int maxCells, String storeUrl, String storeUsername, Path storePasswordFile, Secret storePassword) {

    /** The password, from its file (read now, so a rotated Secret is picked up at the next connection) or env. */
    public String password() {
      if (storePasswordFile != null) {
        Secret s = Secret.fromFile(storePasswordFile, "rollups.store.passwordFile");
        return s == null ? "" : s.reveal();
      }
      return storePassword == null ? "" : storePassword.reveal();
    }
  }

  /**
   * The device inventory (org.csp.edge.inventory; operations.md, "Inventory"): the largest CSV upload taken, how many
   * devices and distinct models one import may hold (10 bytes of heap a device on every member), how many refused
   * lines an answer lists, and the size of the chunks the cluster's copy is cut into.
   */
  public record Inventory(long maxUploadBytes, int maxDevices, int maxModels, int refusedListed, int chunkBytes) {
    public static final Inventory DEFAULTS = new Inventory(1L << 30, 20_000_000, 65_536, 100, 1 << 20);

    public Inventory {
      if (maxUploadBytes < 1024) throw new ConfigException("inventory.maxUploadBytes must be at least 1024");
      if (maxDevices < 1) throw new ConfigException("inventory.maxDevices must be at least 1");
      if (maxModels < 1 || maxModels > 65_536) throw new ConfigException("inventory.maxModels must be 1..65536");
      if (refusedListed < 0) throw new ConfigException("inventory.refusedListed must be at least 0");
      if (chunkBytes < 4096) throw new ConfigException("inventory.chunkBytes must be at least 4096");
    }
  }

  /**
   * The digests (src/docs/design.md, "Digests"): one per recipient and period (whole hours dividing a day, aligned
   * to UTC midnight), built {@code delay} after the period's end, checked every {@code checkInterval}; periods that
   * ended up to {@code lookBack} ago are caught up; {@code top} hubs and device models listed.
   */
  public record Digests(boolean enabled, Duration period, Duration checkInterval, Duration delay, Duration lookBack,
      int top, Email email) {
    public Digests(boolean enabled, Duration period, Duration checkInterval, Duration delay, Duration lookBack, int top) {
      this(enabled, period, checkInterval, delay, lookBack, top, Email.OFF);
    }
  }

  /**
   * The register of storm-causing device models (org.csp.edge.register): the window it looks at, how often it is
   * recomputed, the false-discovery rate of each status, the minimum ratio (its lower bound) and exposure.
   */
  public record Register(Duration window, Duration recomputeEvery, double suspectedFdr, double confirmedFdr,
      double minRateRatio, int minDevices) {}

  /**
   * The digests by e-mail ({@code digests.email}, off by default): the SMTP server ({@code startTls} disabled,
   * optional or required), the sender, each recipient's addresses ({@code to}: a recipient without is sent none),
   * and how often and how long apart a failed send is tried again.
   */
  public record Email(boolean enabled, String host, int port, String startTls, String username, Path passwordFile,
      String from, java.util.Map<String, java.util.List<String>> to, int retries, Duration retryInterval) {
    public static final Email OFF = new Email(false, null, 0, "required", null, null, null, java.util.Map.of(), 0,
        Duration.ofMinutes(1));

    /** The SMTP password, read from its file now (a rotated Secret is picked up at the next send); "" without. */
    public String password() {
      if (passwordFile == null) return "";
      Secret s = Secret.fromFile(passwordFile, "digests.email.smtp.passwordFile");
      return s == null ? "" : s.reveal();
    }
  }

  /** The topic prefix with {@code {region}} filled in. */
  public String topicPrefix() {
    return upstream.topicPrefix().replace("{region}", region);
  }

  /** The configuration as operators see it on the API: never any secret. */
  public JsonObject toPublicJson() {
    return new JsonObject()
        .put("region", region)
        .put("nodeId", nodeId)
        .put("bindHost", bindHost)
        .put("mqttPort", mqttPort)
        .put("httpPort", httpPort)
        .put("upstream", upstream.embedded() ? "embedded" : upstream.url().toString())
        .put("topicPrefix", topicPrefix())
        .put("outboxCapacity", outbox.capacity())
        .put("clusterConfig", clusterConfig);
  }
}
