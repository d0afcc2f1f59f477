package org.csp.edge.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.recipient.Recipients;

/**
 * Reads a {@link NodeConfig}: built-in defaults, then the file (YAML, or JSON which is YAML too), then the
 * environment variables that deployments set (the Helm chart and the runbooks use exactly these names).
 */
public final class ConfigLoader {
  public static final String ENV_REGION = "NODE_REGION";
  public static final String ENV_NODE_ID = "NODE_ID";
  public static final String ENV_BIND_HOST = "NODE_BIND_HOST";
  public static final String ENV_MQTT_PORT = "NODE_MQTT_PORT";
  public static final String ENV_HTTP_PORT = "NODE_HTTP_PORT";
  public static final String ENV_UPSTREAM_URL = "NODE_UPSTREAM_URL";
  public static final String ENV_UPSTREAM_USERNAME = "NODE_UPSTREAM_USERNAME";
  public static final String ENV_UPSTREAM_PASSWORD_FILE = "NODE_UPSTREAM_PASSWORD_FILE";
  public static final String ENV_CLUSTER_CONFIG = "NODE_CLUSTER_CONFIG";
  public static final String ENV_DATA_DIR = "NODE_DATA_DIR";
  public static final String ENV_EMBEDDED_BROKER_PORT = "NODE_EMBEDDED_BROKER_PORT";
  public static final String ENV_ALLOW_ANONYMOUS = "NODE_ALLOW_ANONYMOUS";
  public static final String ENV_ALLOW_PLAINTEXT_CREDENTIALS = "NODE_ALLOW_PLAINTEXT_CREDENTIALS";
  public static final String ENV_TLS_CERT_FILE = "NODE_TLS_CERT_FILE";
  public static final String ENV_TLS_KEY_FILE = "NODE_TLS_KEY_FILE";
  public static final String ENV_TLS_CLIENT_CA_FILE = "NODE_TLS_CLIENT_CA_FILE";
  public static final String ENV_TLS_CLIENT_AUTH = "NODE_TLS_CLIENT_AUTH";
  public static final String ENV_MQTT_CREDENTIALS_FILE = "NODE_MQTT_CREDENTIALS_FILE";
  public static final String ENV_HTTP_TOKENS_FILE = "NODE_HTTP_TOKENS_FILE";
  public static final String ENV_UPSTREAM_PASSWORD = "NODE_UPSTREAM_PASSWORD";
  public static final String ENV_UPSTREAM_CA_FILE = "NODE_UPSTREAM_CA_FILE";
  public static final String ENV_UPSTREAM_CERT_FILE = "NODE_UPSTREAM_CERT_FILE";
  public static final String ENV_UPSTREAM_KEY_FILE = "NODE_UPSTREAM_KEY_FILE";
  /** Set by the chart from its grace period, so that the two cannot disagree. */
  public static final String ENV_STOP_TIMEOUT = "NODE_STOP_TIMEOUT";
  public static final String ENV_JOURNAL = "NODE_JOURNAL";

  /** NODE_* variables read here; those read elsewhere are {@link ExternalSettings}'. */
  private static final Set<String> KNOWN_ENV = Set.of(ENV_REGION, ENV_NODE_ID, ENV_BIND_HOST, ENV_MQTT_PORT, ENV_HTTP_PORT,
      ENV_UPSTREAM_URL, ENV_UPSTREAM_USERNAME, ENV_UPSTREAM_PASSWORD_FILE, ENV_CLUSTER_CONFIG, ENV_DATA_DIR,
      ENV_EMBEDDED_BROKER_PORT, ENV_ALLOW_ANONYMOUS, ENV_ALLOW_PLAINTEXT_CREDENTIALS, ENV_TLS_CERT_FILE, ENV_TLS_KEY_FILE,
      ENV_TLS_CLIENT_CA_FILE, ENV_TLS_CLIENT_AUTH, ENV_MQTT_CREDENTIALS_FILE, ENV_HTTP_TOKENS_FILE, ENV_UPSTREAM_PASSWORD,
      ENV_UPSTREAM_CA_FILE, ENV_UPSTREAM_CERT_FILE, ENV_UPSTREAM_KEY_FILE, ENV_STOP_TIMEOUT, ENV_JOURNAL,
      RollupSettings.ENV_ROLLUPS, RollupSettings.ENV_DB_URL, RollupSettings.ENV_DB_USERNAME, RollupSettings.ENV_DB_PASSWORD,
      RollupSettings.ENV_DB_PASSWORD_FILE);
  /** Kubernetes' service-link variables for a Service named "node". */
  private static final String SERVICE_LINK = "NODE_(PORT|SERVICE_.*|PORT_\\d+_.*)";
  private static final String REGION_FORM = "[a-z][a-z0-9-]{0,31}";
  private static final String NODE_ID_FORM = "[A-Za-z0-9._-]{1,128}";
  private static final int MAX_PORT = 65_535;
  private static final int MAX_INSTANCES = 1024;
  /** MQTT's packet identifiers: at most this many publishes can await a PUBACK. */
  private static final int MAX_INFLIGHT = 65_000;
  private static final int MAX_MQTT_STRING = 65_535;
  /** MQTT packet identifiers: a client can have no more QoS 1/2 messages unacknowledged at once. */
  private static final int MAX_PACKET_IDS = 65_535;
  private static final int MIN_MESSAGE_BYTES = 1024;
  /** Answers waiting for a client that does not read them, per connection: from one packet's worth to 64 MiB. */
  private static final int MIN_PENDING_OUTPUT_BYTES = 1024;
  private static final int MAX_PENDING_OUTPUT_BYTES = 64 * 1024 * 1024;
  private static final int MIN_PAYLOAD_CHARS = 4;
  /** An event's header and a few devices or hubs must fit; MQTT's own limit is 256 MiB. */
  private static final int MIN_UPSTREAM_MESSAGE_BYTES = 4 * 1024;
  /**
   * What an alert event holds besides its payload, at most: ids, code, times, the model's three fields of 128
   * characters each (escaped, 6 bytes a character at worst), node and region, and its topic.
   */
  private static final int ALERT_EVENT_ROOM = 3 * 1024;
  private static final int MAX_UPSTREAM_MESSAGE_BYTES = 256 * 1024 * 1024;
  private static final int MAX_DEAD_LETTER_AFTER = 100;
  private static final int MIB = 1024 * 1024;
  /** A live update stays a few kilobytes: no list on the live page longer than this. */
  private static final int MAX_LIVE_TOP = 100;
  private static final int MAX_LIVE_SUBSCRIBERS = 1000;
  /** The stop keeps 3 s for the spill (Node.SPILL_RESERVE) and needs a moment for the rest. */
  private static final Duration MIN_STOP_TIMEOUT = Duration.ofSeconds(5);
  /**
   * node.stopTimeout when not set: the drain plus room for closing the intakes, the alerts being decided, the
   * undeploys, the spill and the cluster leave (60 s with the default drain, half the chart's grace period).
   */
  private static final Duration STOP_BEYOND_DRAIN = Duration.ofSeconds(40);
  /** The outbox must hold a few of the largest events. */
  private static final int MIN_OUTBOX_BYTES = MIB;
  private static final int DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
  private static final int MIN_SEGMENT_BYTES = 4096;

  private ConfigLoader() {}

  public static NodeConfig load(Path file, Map<String, String> env) {
    JsonObject json = file == null ? new JsonObject() : readFile(file);
    return fromJson(json, env);
  }

  /**
   * YAML (and so JSON) with each key once per map: a second {@code node:} section would otherwise replace the first
   * whole, silently (an outside probe's mqttPort went back to 1883). Also for policy documents.
   */
  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static JsonObject readFile(Path file) {
    try {
      Object tree = YAML.readValue(Files.readAllBytes(file), Map.class);
      if (tree == null) return new JsonObject();
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) tree;
      return new JsonObject(map);
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException | ClassCastException e) {
      // The file's text stays out of the message (Jackson quotes it whole): it may hold a secret.
      throw new ConfigException("cannot read configuration file " + file + ": it is not YAML sections of settings (node:, upstream:, ...)");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      String why = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
      throw new ConfigException("cannot read configuration file " + file + ": not YAML"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + " (" + why + ")");
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
  }

  /** Every problem of the configuration at once, each naming its setting: a ConfigException listing them all. */
  public static NodeConfig fromJson(JsonObject json, Map<String, String> env) {
    Problems problems = new Problems();
    Section top = Section.top(json, env, problems);
    Section node = top.section("node");
    Section upstream = top.section("upstream");
    Section broker = top.section("embeddedBroker");
    Section outbox = top.section("outbox");
    Section cluster = top.section("cluster");

    String region = node.string("region", ENV_REGION, "central");
    if (!region.matches(REGION_FORM)) {
      problems.add(node.name("region", ENV_REGION), "must be a short lower-case name such as north, central or south, got '" + region + "'");
      region = "central";
    }
    String nodeId = node.nonBlank("id", ENV_NODE_ID, null);
    if (nodeId == null) nodeId = defaultNodeId(env);
    if (!nodeId.matches(NODE_ID_FORM)) {
      problems.add(node.name("id", ENV_NODE_ID), "must be letters, digits, '.', '_' or '-' (it goes into the upstream client id), got '" + nodeId + "'");
    }
    String bindHost = node.nonBlank("bindHost", ENV_BIND_HOST, "127.0.0.1");
    int mqttPort = port(node, "mqttPort", ENV_MQTT_PORT, 1883);
    int httpPort = port(node, "httpPort", ENV_HTTP_PORT, 8080);
    int mqttInstances = node.integer("mqttInstances", Runtime.getRuntime().availableProcessors(), 1, MAX_INSTANCES);
    String dataDir = node.nonBlank("dataDir", ENV_DATA_DIR, null);
    Duration sweepInterval = node.duration("sweepInterval", Duration.ofMillis(500), Duration.ofMillis(10));
    Duration receiptInterval = node.duration("receiptInterval", Duration.ofMillis(50), Duration.ofMillis(1));
    Duration statusLogInterval = node.duration("statusLogInterval", Duration.ofSeconds(10), Duration.ofSeconds(1));
    Duration heartbeatInterval = node.duration("heartbeatInterval", Duration.ofSeconds(30), Duration.ofSeconds(1));
    Duration stopTimeoutSet = node.duration("stopTimeout", ENV_STOP_TIMEOUT, null, MIN_STOP_TIMEOUT);
    int maxGatheredReceipts = node.atLeast("maxGatheredReceipts", 100_000, 1);
    node.refuseUnknownKeys();

    NodeConfig.Limits limits = limits(top.section("limits"));
    NodeConfig.Upstream up = upstream(upstream, region, nodeId);
    if (limits != null && up != null && up.maxMessageBytes() < limits.maxPayloadBase64Chars() + ALERT_EVENT_ROOM) {
      // An alert the intake takes and forwards must fit one event: else it is acknowledged and never delivered.
      problems.add("upstream.maxMessageBytes", "must be at least limits.maxPayloadBase64 + " + ALERT_EVENT_ROOM + " ("
          + (limits.maxPayloadBase64Chars() + ALERT_EVENT_ROOM) + "), so that every alert the intake takes fits one event;"
          + " got " + up.maxMessageBytes() + ": raise it, or lower limits.maxPayloadBase64");
    }
    NodeConfig.EmbeddedBroker embedded = new NodeConfig.EmbeddedBroker(broker.nonBlank("host", null, "127.0.0.1"),
        port(broker, "port", ENV_EMBEDDED_BROKER_PORT, 1884));
    broker.refuseUnknownKeys();
    refuseSharedPorts(problems, mqttPort, httpPort, up != null && up.embedded() ? embedded.port() : 0);

    int capacity = outbox.atLeast("capacity", 100_000, 1);
    int resumeAt = outbox.integer("resumeAt", capacity * 8 / 10, 0, Integer.MAX_VALUE);
    if (resumeAt >= capacity) {
      outbox.problem("resumeAt", "must be below outbox.capacity (" + capacity + "), got " + resumeAt);
    }
    int capacityBytes = outbox.integer("capacityBytes", 256 * MIB, MIN_OUTBOX_BYTES, Integer.MAX_VALUE);
    Duration drainTimeout = outbox.duration("drainTimeout", Duration.ofSeconds(20), Duration.ZERO, " (0s: spill at once)");
    outbox.refuseUnknownKeys();
    Duration stopTimeout = stopTimeoutSet != null ? stopTimeoutSet : drainTimeout.plus(STOP_BEYOND_DRAIN);
    if (stopTimeout.compareTo(drainTimeout) <= 0) {
      node.problem("stopTimeout", "must be longer than outbox.drainTimeout (" + Durations.format(drainTimeout)
          + "): the drain is one part of the stop; got " + Durations.format(stopTimeout));
    }
    NodeConfig.Outbox out = resumeAt >= capacity ? null
        : problems.build(() -> new NodeConfig.Outbox(capacity, resumeAt, capacityBytes, drainTimeout));

    String clusterConfig = cluster.nonBlank("config", ENV_CLUSTER_CONFIG, "cluster-config/single.xml");
    cluster.refuseUnknownKeys();
    AlertPolicy policy = PolicySettings.read(top.section("policy"));
    Recipients recipients = RecipientSettings.read(top);
    NodeConfig.Security security = SecuritySettings.read(top.section("security"), bindHost);
    NodeConfig.Durability durability = durability(top.section("durability"));
    NodeConfig.Console console = console(top.section("console"));
    NodeConfig.Silences silences = silences(top.section("silences"));
    Path dataPath = Path.of(dataDir != null ? dataDir : defaultDataDir(region, nodeId, env));
    NodeConfig.Rollups rollups = RollupSettings.read(top.section("rollups"), dataPath);
    NodeConfig.Preview preview = preview(top.section("preview"));
    NodeConfig.Inventory inventory = inventory(top.section("inventory"));
    NodeConfig.Register register = RegisterSettings.read(top.section("register"), rollups);
    NodeConfig.Digests digests = DigestSettings.read(top.section("digests"), rollups, recipients);
    top.refuseUnknownKeys();
    ExternalSettings.check(env, problems);
    problems.throwIfAny();

    return new NodeConfig(region, nodeId, bindHost, mqttPort, httpPort, mqttInstances, limits, up, embedded, out,
        clusterConfig, dataPath, sweepInterval, receiptInterval,
        statusLogInterval, heartbeatInterval, stopTimeout, maxGatheredReceipts, policy, security, durability, recipients, console, silences, rollups, preview, inventory, register, digests);
  }

  /** The device inventory: bounds of an upload and of what one import may hold. */
  private static NodeConfig.Inventory inventory(Section s) {
    NodeConfig.Inventory d = NodeConfig.Inventory.DEFAULTS;
    int maxUploadMib = s.integer("maxUploadMiB", (int) (d.maxUploadBytes() / MIB), 1, MAX_INVENTORY_UPLOAD_MIB);
    int maxDevices = s.integer("maxDevices", d.maxDevices(), 1, Integer.MAX_VALUE - 8);
    int maxModels = s.integer("maxModels", d.maxModels(), 1, 65_536);
    int refusedListed = s.integer("refusedListed", d.refusedListed(), 0, MAX_REFUSED_LISTED);
    int chunkBytes = s.integer("chunkBytes", d.chunkBytes(), 4096, MAX_INVENTORY_CHUNK);
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Inventory((long) maxUploadMib * MIB, maxDevices, maxModels,
        refusedListed, chunkBytes));
  }

  /** 64 GiB: far past any national inventory's CSV (10 million devices are about 650 MB). */
  private static final int MAX_INVENTORY_UPLOAD_MIB = 64 * 1024;
  /** An answer lists refused lines for a person to read; the rest are counted. */
  private static final int MAX_REFUSED_LISTED = 10_000;
  /** A chunk is one map value: Hazelcast moves it in one piece between members. */
  private static final int MAX_INVENTORY_CHUNK = 64 * MIB;

  /** The operator console and the bounds of its live stream (what a browser receives in a storm). */
  private static NodeConfig.Console console(Section s) {
    boolean enabled = s.bool("enabled", true);
    Duration interval = s.duration("liveInterval", Duration.ofSeconds(1), Duration.ofMillis(100));
    int top = s.integer("liveTop", 10, 1, MAX_LIVE_TOP);
    int subscribers = s.integer("liveMaxSubscribers", 16, 1, MAX_LIVE_SUBSCRIBERS);
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Console(enabled, interval, top, subscribers));
  }

  /** The record of recent traffic replayed by POST /v1/policy/preview. */
  private static NodeConfig.Preview preview(Section s) {
    NodeConfig.Preview d = NodeConfig.Preview.DEFAULTS;
    int slices = s.integer("slices", d.slices(), 1, MAX_PREVIEW_SLICES);
    int recordSize = s.integer("recordSize", d.recordSize(), slices, MAX_PREVIEW_RECORD);
    Duration window = s.duration("window", d.window(), Duration.ofMinutes(1));
    Duration timeout = s.duration("timeout", d.timeout(), Duration.ofSeconds(1));
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Preview(recordSize, window, slices, timeout));
  }

  /** A slice per second of an hour at most: finer slices sample no better and cost a lock each. */
  private static final int MAX_PREVIEW_SLICES = 3600;
  /** Each recorded alert holds about 100 bytes of heap beside what the intake already allocated. */
  private static final int MAX_PREVIEW_RECORD = 10_000_000;

  private static NodeConfig.Silences silences(Section s) {
    NodeConfig.Silences d = NodeConfig.Silences.DEFAULTS;
    int maxActive = s.integer("maxActive", d.maxActive(), 1, MAX_SILENCES);
    Duration maxDuration = s.duration("maxDuration", d.maxDuration(), Duration.ofMinutes(1));
    Duration retention = s.duration("retention", d.retention(), Duration.ZERO, " (0s: forgotten when expired)");
    Duration unusedAfter = s.duration("unusedAfter", d.unusedAfter(), Duration.ofSeconds(1));
    Duration syncInterval = s.duration("syncInterval", d.syncInterval(), Duration.ofMillis(100));
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Silences(maxActive, maxDuration, retention, unusedAfter, syncInterval));
  }

  /**
   * {@code journal}: on, off, or auto (the default): on for a member that starts alone (a single node, whatever its
   * cluster configuration, or a cluster's first member), whose hubs have no backup on another member; off for a member
   * that joins a running cluster, whose members back it up (design.md, "A node that crashes").
   */
  /** Far above what operators keep at once; every decision carries the silences that may match its hub. */
  private static final int MAX_SILENCES = 100_000;

  private static NodeConfig.Durability durability(Section s) {
    String journal = s.string("journal", ENV_JOURNAL, "auto").trim().toLowerCase(java.util.Locale.ROOT);
    // YAML 1.1 reads a bare on/off as a boolean.
    if (journal.equals("true")) journal = "on";
    if (journal.equals("false")) journal = "off";
    if (!journal.equals("on") && !journal.equals("off") && !journal.equals("auto")) {
      s.problem("journal", "must be on, off or auto (" + ENV_JOURNAL + " or the file), got '" + journal + "'");
      journal = "auto";
    }
    String fsync = s.choice("fsync", null, "interval", "interval", "never");
    Duration fsyncInterval = s.duration("fsyncInterval", Duration.ofSeconds(1), Duration.ofMillis(1));
    int segmentBytes = s.integer("segmentBytes", DEFAULT_SEGMENT_BYTES, MIN_SEGMENT_BYTES, Integer.MAX_VALUE);
    int changesPerImage = s.integer("changesPerImage", NodeConfig.Durability.DEFAULT_CHANGES_PER_IMAGE,
        NodeConfig.Durability.MIN_CHANGES_PER_IMAGE, NodeConfig.Durability.MAX_CHANGES_PER_IMAGE);
    int pendingBytes = s.integer("pendingBytes", NodeConfig.Durability.DEFAULT_PENDING_BYTES,
        NodeConfig.Durability.MIN_PENDING_BYTES, Integer.MAX_VALUE);
    s.refuseUnknownKeys();
    boolean on = journal.equals("on");
    boolean whenAlone = journal.equals("auto");
    return s.problems().build(() -> new NodeConfig.Durability(on, fsync.equals("never") ? null : fsyncInterval, segmentBytes,
        changesPerImage, pendingBytes, whenAlone));
  }

  private static NodeConfig.Upstream upstream(Section s, String region, String nodeId) {
    String urlText = s.string("url", ENV_UPSTREAM_URL, null);
    URI url = null;
    if (urlText != null && !urlText.isEmpty()) {
      try {
        url = new URI(urlText);
      } catch (URISyntaxException e) {
        s.problem("url", "'" + urlText + "' (" + ENV_UPSTREAM_URL + " or the file) is not a URL: " + e.getMessage());
      }
    }
    String username = s.string("username", ENV_UPSTREAM_USERNAME, null);
    String passwordFile = s.string("passwordFile", ENV_UPSTREAM_PASSWORD_FILE, null);
    String topicPrefix = s.string("topicPrefix", "dsp/{region}/");
    String filled = topicPrefix.replace("{region}", region);
    if (filled.isEmpty() || !filled.endsWith("/") || filled.contains("#") || filled.contains("+") || filled.contains("\0")
        || filled.startsWith("$")) {
      s.problem("topicPrefix", "must be a topic prefix ending with '/', without the wildcards '#' and '+' and not starting "
          + "with '$', e.g. dsp/{region}/; got '" + topicPrefix + "'");
      topicPrefix = "dsp/{region}/";
    }
    String clientId = s.nonBlank("clientId", null, "csp-edge-" + region + "-" + nodeId);
    // A broker closes a CONNECT whose client id is not an MQTT string (3.1.1, 1.5.3), for ever: refused here instead.
    if (clientId.length() > MAX_UPSTREAM_CLIENT_ID || !org.csp.edge.text.UnsafeCharacters.mqttClientId(clientId)) {
      s.problem("clientId", "must be at most " + MAX_UPSTREAM_CLIENT_ID + " characters without control characters"
          + " (an MQTT client id); got " + clientId.length() + " characters");
    }
    int maxInflight = s.integer("maxInflight", 256, 1, MAX_INFLIGHT);
    Duration ackTimeout = s.duration("ackTimeout", Duration.ofSeconds(30), Duration.ofMillis(100));
    Duration reconnectMin = s.duration("reconnectMin", Duration.ofMillis(250), Duration.ofMillis(1));
    Duration reconnectMax = s.duration("reconnectMax", Duration.ofSeconds(30), Duration.ofMillis(1));
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      s.problem("reconnectMax", "must be at least upstream.reconnectMin (" + Durations.format(reconnectMin) + "), got "
          + Durations.format(reconnectMax));
    }
    int maxMessageBytes = s.integer("maxMessageBytes", 256 * 1024, MIN_UPSTREAM_MESSAGE_BYTES, MAX_UPSTREAM_MESSAGE_BYTES);
    int deadLetterAfter = s.integer("deadLetterAfter", 3, 1, MAX_DEAD_LETTER_AFTER);
    s.refuseUnknownKeys();
    URI u = url;
    String prefix = topicPrefix;
    return s.problems().build(() -> new NodeConfig.Upstream(u, username == null || username.isEmpty() ? null : username,
        passwordFile == null || passwordFile.isEmpty() ? null : Path.of(passwordFile), prefix, clientId, maxInflight,
        ackTimeout, reconnectMin, reconnectMax, maxMessageBytes, deadLetterAfter));
  }

  /**
   * Seconds of decisions at a storm's rate (the bench's node decides 10,000 to 50,000 alerts/s), and a bounded heap:
   * a client that sends QoS 0 faster than the node decides would otherwise fill it (seen: 345,000 alerts, an
   * OutOfMemoryError at 512 MiB).
   */
  private static final int DEFAULT_MAX_UNDECIDED_ALERTS = 50_000;

  /** Far above what brokers take (MQTT 3.1.1 guarantees 23), far below an MQTT string's 65,535 bytes. */
  private static final int MAX_UPSTREAM_CLIENT_ID = 256;

  private static NodeConfig.Limits limits(Section s) {
    NodeConfig.Limits limits = new NodeConfig.Limits(
        s.atLeast("maxMessageBytes", 1024 * 1024, MIN_MESSAGE_BYTES),
        s.atLeast("maxPayloadBase64", 16 * 1024, MIN_PAYLOAD_CHARS),
        s.atLeast("maxAlertsPerBatch", 2000, 1),
        s.atLeast("maxMqttConnections", 10_000, 1),
        s.atLeast("maxHttpConnections", 1000, 1),
        s.atLeast("maxMqttConnectionsPerAddress", 1000, 1),
        s.atLeast("maxHttpConnectionsPerAddress", 256, 1),
        s.integer("maxClientIdLength", 64, 1, MAX_MQTT_STRING),
        s.duration("connectTimeout", Duration.ofSeconds(10), Duration.ofSeconds(1)),
        s.duration("idleTimeout", Duration.ofMinutes(5), Duration.ofSeconds(1)),
        s.duration("requestTimeout", Duration.ofSeconds(30), Duration.ofMillis(100)),
        s.number("messagesPerSecond", 20_000, 0, " (0: no limit)"),
        s.atLeast("burst", 20_000, 1),
        s.duration("dropAfter", Duration.ofSeconds(10), Duration.ofMillis(1)),
        s.integer("maxPendingAcksPerConnection", 1000, 1, MAX_PACKET_IDS),
        s.integer("maxPendingOutputBytesPerConnection", 64 * 1024, MIN_PENDING_OUTPUT_BYTES, MAX_PENDING_OUTPUT_BYTES),
        s.atLeast("maxUndecidedAlerts", DEFAULT_MAX_UNDECIDED_ALERTS, 1));
    s.refuseUnknownKeys();
    return limits;
  }

  /**
   * Two of the node's servers on one port: Vert.x shares one listening socket between servers of one instance, so
   * neither fails to bind and each connection lands on either at random (an outside probe: 13 of 20 health checks
   * failed, a third of CONNECTs unanswered). Refused; 0 (a free port each) never collides.
   */
  private static void refuseSharedPorts(Problems problems, int mqttPort, int httpPort, int embeddedPort) {
    if (mqttPort != 0 && mqttPort == httpPort) {
      problems.add("node.httpPort", "must differ from node.mqttPort (" + mqttPort + "): each server needs a port of its own");
    }
    if (embeddedPort != 0 && (embeddedPort == mqttPort || embeddedPort == httpPort)) {
      problems.add("embeddedBroker.port", "must differ from node.mqttPort and node.httpPort (" + embeddedPort + " is taken)");
    }
  }

  /** 0 asks the system for a free port (tests and tools read back the port bound). */
  private static int port(Section s, String key, String envName, int fallback) {
    return s.integer(key, envName, fallback, 0, MAX_PORT, "0 picks a free port");
  }

  /**
   * NODE_* variables the node does not know: warned about, not refused, since a pod's environment also holds
   * variables the node never reads (Kubernetes service links of a Service named "node": NODE_PORT, NODE_SERVICE_HOST).
   */
  public static List<String> unknownEnvironment(Map<String, String> env) {
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith("NODE_") || KNOWN_ENV.contains(name) || ExternalSettings.known().contains(name)
          || name.matches(SERVICE_LINK)) {
        continue;
      }
      warnings.add(name + " is set but is not a setting of the node (README.md lists them); is it misspelt?");
    }
    return warnings;
  }

  private static String defaultNodeId(Map<String, String> env) {
    String host = env.get("HOSTNAME");
    if (host != null && !host.isBlank()) return host;
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "node-" + ProcessHandle.current().pid();
    }
  }

  /** Under {@code $TMPDIR} as the shell means it (Java's own temporary directory ignores it), else Java's. */
  private static String defaultDataDir(String region, String nodeId, Map<String, String> env) {
    String tmp = env.get("TMPDIR");
    if (tmp == null || tmp.isBlank()) tmp = System.getProperty("java.io.tmpdir");
    return Path.of(tmp, "csp-edge-node", region + "-" + nodeId).toString();
  }
}
