package org.csp.edge.config;

import static org.csp.edge.config.ConfigLoader.duration;
import static org.csp.edge.config.ConfigLoader.section;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.csp.edge.security.Secret;

/**
 * Reads the {@code security} section and its NODE_* overrides into {@link NodeConfig.Security}, and applies the
 * safe default: clients without credentials are let in only while the node listens on loopback and no credentials
 * are configured; a node opened to the network with no way to authenticate anyone refuses to start, saying how to
 * fix it (src/docs/security.md, "Safe defaults").
 */
final class SecuritySettings {
  static final Duration LOGIN_CACHE_TTL = Duration.ofMinutes(5);
  static final int MAX_PENDING_LOGINS = 256;
  static final int LOGIN_THREADS = 2;

  private SecuritySettings() {}

  static NodeConfig.Security read(JsonObject security, Map<String, String> env, String bindHost) {
    JsonObject tls = section(security, "tls");
    JsonObject mqtt = section(security, "mqtt");
    JsonObject http = section(security, "http");
    JsonObject upstream = section(security, "upstream");

    Path clientCa = path(env, ConfigLoader.ENV_TLS_CLIENT_CA_FILE, tls, "clientCaFile");
    NodeConfig.Tls t = new NodeConfig.Tls(
        path(env, ConfigLoader.ENV_TLS_CERT_FILE, tls, "certFile"),
        path(env, ConfigLoader.ENV_TLS_KEY_FILE, tls, "keyFile"),
        clientCa,
        clientAuth(env.getOrDefault(ConfigLoader.ENV_TLS_CLIENT_AUTH, tls.getString("clientAuth", clientCa == null ? "none" : "request"))),
        bool(tls, "mqtt", true),
        bool(tls, "http", true));

    Path credentials = path(env, ConfigLoader.ENV_MQTT_CREDENTIALS_FILE, mqtt, "credentialsFile");
    Path tokens = path(env, ConfigLoader.ENV_HTTP_TOKENS_FILE, http, "tokensFile");
    boolean mqttCertificates = t.onMqtt() && t.clientCertificates();
    boolean httpCertificates = t.onHttp() && t.clientCaFile() != null;
    boolean loopback = loopback(bindHost);
    String explicit = env.getOrDefault(ConfigLoader.ENV_ALLOW_ANONYMOUS,
        security.getValue("allowAnonymous") == null ? null : String.valueOf(security.getValue("allowAnonymous")));
    Boolean anonymous = explicit == null ? null : bool(explicit, "security.allowAnonymous (NODE_ALLOW_ANONYMOUS)");
    boolean mqttAnonymous = anonymous != null ? anonymous : loopback && credentials == null && !mqttCertificates;
    boolean httpAnonymous = anonymous != null ? anonymous : loopback && tokens == null && !httpCertificates;
    if (!mqttAnonymous && credentials == null && !mqttCertificates) {
      throw new ConfigException(closed("MQTT", bindHost, "security.mqtt.credentialsFile (NODE_MQTT_CREDENTIALS_FILE), "
          + "or client certificates (security.tls.clientCaFile)"));
    }
    if (!httpAnonymous && tokens == null && !httpCertificates) {
      throw new ConfigException(closed("HTTP", bindHost, "security.http.tokensFile (NODE_HTTP_TOKENS_FILE), "
          + "or client certificates (security.tls.clientCaFile)"));
    }

    return new NodeConfig.Security(
        t,
        new NodeConfig.MqttAuth(mqttAnonymous, credentials,
            duration(mqtt, "loginCacheTtl", LOGIN_CACHE_TTL, "security.mqtt"),
            mqtt.getInteger("maxPendingLogins", MAX_PENDING_LOGINS),
            mqtt.getInteger("loginThreads", LOGIN_THREADS)),
        new NodeConfig.HttpAuth(httpAnonymous, tokens, bool(http, "openMetrics", true)),
        new NodeConfig.UpstreamTls(
            path(env, ConfigLoader.ENV_UPSTREAM_CA_FILE, upstream, "caFile"),
            path(env, ConfigLoader.ENV_UPSTREAM_CERT_FILE, upstream, "certFile"),
            path(env, ConfigLoader.ENV_UPSTREAM_KEY_FILE, upstream, "keyFile"),
            bool(upstream, "verifyHost", true),
            Secret.of(env.get(ConfigLoader.ENV_UPSTREAM_PASSWORD))));
  }

  private static String closed(String intake, String bindHost, String ways) {
    return "the " + intake + " intake on " + bindHost + " would let no one in: clients without credentials are refused "
        + "(the node is not on loopback, or credentials are configured elsewhere) and it has no way to check any. "
        + "Configure " + ways + ", or set security.allowAnonymous: true (NODE_ALLOW_ANONYMOUS=true) to open it "
        + "without authentication on purpose";
  }

  /** Loopback addresses and names that resolve only to loopback; anything unresolvable counts as exposed. */
  static boolean loopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Path path(Map<String, String> env, String envName, JsonObject section, String key) {
    String v = env.getOrDefault(envName, section.getString(key));
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }

  private static boolean bool(JsonObject section, String key, boolean fallback) {
    Object v = section.getValue(key);
    return v == null ? fallback : bool(String.valueOf(v), key);
  }

  private static boolean bool(String v, String name) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(name + " must be true or false, was '" + v + "'");
    };
  }

  private static ClientAuth clientAuth(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "none" -> ClientAuth.NONE;
      case "request" -> ClientAuth.REQUEST;
      case "required" -> ClientAuth.REQUIRED;
      default -> throw new ConfigException("security.tls.clientAuth (NODE_TLS_CLIENT_AUTH) must be none, request or required, was '" + v + "'");
    };
  }
}
