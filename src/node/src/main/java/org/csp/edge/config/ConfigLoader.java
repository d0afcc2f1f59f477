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
import java.util.Map;

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

  private ConfigLoader() {}

  public static NodeConfig load(Path file, Map<String, String> env) {
    JsonObject json = file == null ? new JsonObject() : readFile(file);
    return fromJson(json, env);
  }

  static JsonObject readFile(Path file) {
    try {
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file), Map.class);
      if (tree == null) return new JsonObject();
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) tree;
      return new JsonObject(map);
    } catch (IOException | ClassCastException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
  }

  public static NodeConfig fromJson(JsonObject json, Map<String, String> env) {
    JsonObject node = section(json, "node");
    JsonObject limits = section(json, "limits");
    JsonObject upstream = section(json, "upstream");
    JsonObject broker = section(json, "embeddedBroker");
    JsonObject outbox = section(json, "outbox");
    JsonObject cluster = section(json, "cluster");

    String region = env.getOrDefault(ENV_REGION, node.getString("region", "central"));
    if (!region.matches("[a-z][a-z0-9-]{0,31}")) {
      throw new ConfigException("region must be a short lower-case name such as north, central or south; was '" + region + "'");
    }
    String nodeId = env.getOrDefault(ENV_NODE_ID, node.getString("id", defaultNodeId(env)));
    String urlText = env.getOrDefault(ENV_UPSTREAM_URL, upstream.getString("url"));
    String passwordFile = env.getOrDefault(ENV_UPSTREAM_PASSWORD_FILE, upstream.getString("passwordFile"));
    int capacity = outbox.getInteger("capacity", 100_000);
    String bindHost = env.getOrDefault(ENV_BIND_HOST, node.getString("bindHost", "127.0.0.1"));

    return new NodeConfig(
        region,
        nodeId,
        bindHost,
        port(env.get(ENV_MQTT_PORT), node.getInteger("mqttPort", 1883), "mqttPort"),
        port(env.get(ENV_HTTP_PORT), node.getInteger("httpPort", 8080), "httpPort"),
        node.getInteger("mqttInstances", Runtime.getRuntime().availableProcessors()),
        limits(limits),
        new NodeConfig.Upstream(
            urlText == null || urlText.isBlank() ? null : uri(urlText),
            env.getOrDefault(ENV_UPSTREAM_USERNAME, upstream.getString("username")),
            passwordFile == null || passwordFile.isBlank() ? null : Path.of(passwordFile),
            upstream.getString("topicPrefix", "dsp/{region}/"),
            upstream.getString("clientId", "csp-edge-" + region + "-" + nodeId),
            upstream.getInteger("maxInflight", 256),
            duration(upstream, "ackTimeout", Duration.ofSeconds(30), "upstream"),
            duration(upstream, "reconnectMin", Duration.ofMillis(250), "upstream"),
            duration(upstream, "reconnectMax", Duration.ofSeconds(30), "upstream")),
        new NodeConfig.EmbeddedBroker(broker.getString("host", "127.0.0.1"),
            port(env.get(ENV_EMBEDDED_BROKER_PORT), broker.getInteger("port", 1884), "embeddedBroker.port")),
        new NodeConfig.Outbox(
            capacity,
            outbox.getInteger("resumeAt", capacity * 8 / 10),
            duration(outbox, "drainTimeout", Duration.ofSeconds(20), "outbox")),
        env.getOrDefault(ENV_CLUSTER_CONFIG, cluster.getString("config", "cluster-config/single.xml")),
        Path.of(env.getOrDefault(ENV_DATA_DIR, node.getString("dataDir", defaultDataDir(region, nodeId)))),
        duration(node, "sweepInterval", Duration.ofMillis(500), "node"),
        duration(node, "receiptInterval", Duration.ofMillis(50), "node"),
        duration(node, "statusLogInterval", Duration.ofSeconds(10), "node"),
        PolicyJson.read(json.getJsonObject("policy")),
        SecuritySettings.read(section(json, "security"), env, bindHost));
  }

  private static NodeConfig.Limits limits(JsonObject limits) {
    return new NodeConfig.Limits(
        limits.getInteger("maxMessageBytes", 1024 * 1024),
        limits.getInteger("maxPayloadBase64", 16 * 1024),
        limits.getInteger("maxAlertsPerBatch", 2000),
        limits.getInteger("maxMqttConnections", 10_000),
        limits.getInteger("maxHttpConnections", 1000),
        limits.getInteger("maxClientIdLength", 64),
        duration(limits, "connectTimeout", Duration.ofSeconds(10), "limits"),
        duration(limits, "idleTimeout", Duration.ofMinutes(5), "limits"),
        duration(limits, "requestTimeout", Duration.ofSeconds(30), "limits"),
        number(limits, "messagesPerSecond", 20_000),
        limits.getInteger("burst", 20_000),
        duration(limits, "dropAfter", Duration.ofSeconds(10), "limits"));
  }

  private static double number(JsonObject section, String key, double fallback) {
    Object v = section.getValue(key);
    if (v == null) return fallback;
    if (v instanceof Number n) return n.doubleValue();
    throw new ConfigException("limits." + key + " must be a number, was '" + v + "'");
  }

  static JsonObject section(JsonObject json, String name) {
    Object v = json.getValue(name);
    if (v == null) return new JsonObject();
    if (!(v instanceof JsonObject o)) throw new ConfigException("'" + name + "' must be a section (a map of settings)");
    return o;
  }

  private static int port(String envValue, int fileValue, String name) {
    int p;
    try {
      p = envValue == null ? fileValue : Integer.parseInt(envValue.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + ": '" + envValue + "' is not a port number");
    }
    if (p < 0 || p > 65535) throw new ConfigException(name + " must be 0..65535 (0 picks a free port), was " + p);
    return p;
  }

  private static URI uri(String text) {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException("upstream url '" + text + "' is not a URL: " + e.getMessage());
    }
  }

  static Duration duration(JsonObject section, String key, Duration fallback, String sectionName) {
    Object v = section.getValue(key);
    return v == null ? fallback : Durations.parse(String.valueOf(v), sectionName + "." + key);
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

  private static String defaultDataDir(String region, String nodeId) {
    return Path.of(System.getProperty("java.io.tmpdir"), "csp-edge-node", region + "-" + nodeId).toString();
  }
}
