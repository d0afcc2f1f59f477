package org.csp.edge.config;

import io.vertx.core.http.ClientAuth;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

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
  static final int MAX_LOGIN_THREADS = 256;
  /** Failed password checks one source address may cause per window before its logins are refused unchecked. */
  static final int FAILED_LOGINS_PER_ADDRESS = 20;
  static final Duration FAILED_LOGIN_WINDOW = Duration.ofMinutes(1);

  private SecuritySettings() {}

  static NodeConfig.Security read(Section security, String bindHost) {
    Section tls = security.section("tls");
    Section mqtt = security.section("mqtt");
    Section http = security.section("http");
    Section upstream = security.section("upstream");
    Problems problems = security.problems();

    Path clientCa = path(tls, "clientCaFile", ConfigLoader.ENV_TLS_CLIENT_CA_FILE);
    String clientAuth = tls.choice("clientAuth", ConfigLoader.ENV_TLS_CLIENT_AUTH, clientCa == null ? "none" : "request",
        "none", "request", "required");
    NodeConfig.Tls t = problems.build(() -> new NodeConfig.Tls(
        path(tls, "certFile", ConfigLoader.ENV_TLS_CERT_FILE),
        path(tls, "keyFile", ConfigLoader.ENV_TLS_KEY_FILE),
        clientCa,
        ClientAuth.valueOf(clientAuth.toUpperCase(Locale.ROOT)),
        tls.bool("mqtt", true),
        tls.bool("http", true)));
    tls.refuseUnknownKeys();

    Path credentials = path(mqtt, "credentialsFile", ConfigLoader.ENV_MQTT_CREDENTIALS_FILE);
    Path tokens = path(http, "tokensFile", ConfigLoader.ENV_HTTP_TOKENS_FILE);
    Boolean anonymous = security.optionalBool("allowAnonymous", ConfigLoader.ENV_ALLOW_ANONYMOUS);
    boolean plaintext = security.bool("allowPlaintextCredentials", ConfigLoader.ENV_ALLOW_PLAINTEXT_CREDENTIALS, false);
    NodeConfig.MqttAuth mqttAuth = problems.build(() -> new NodeConfig.MqttAuth(false, credentials,
        mqtt.duration("loginCacheTtl", LOGIN_CACHE_TTL, Duration.ZERO, " (0s: never remembered)"),
        mqtt.atLeast("maxPendingLogins", MAX_PENDING_LOGINS, 1),
        mqtt.integer("loginThreads", LOGIN_THREADS, 1, MAX_LOGIN_THREADS),
        mqtt.atLeast("failedLoginsPerAddress", FAILED_LOGINS_PER_ADDRESS, 1),
        mqtt.duration("failedLoginWindow", FAILED_LOGIN_WINDOW, Duration.ofSeconds(1))));
    mqtt.refuseUnknownKeys();
    boolean openMetrics = http.bool("openMetrics", true);
    http.refuseUnknownKeys();
    NodeConfig.UpstreamTls upstreamTls = problems.build(() -> new NodeConfig.UpstreamTls(
        path(upstream, "caFile", ConfigLoader.ENV_UPSTREAM_CA_FILE),
        path(upstream, "certFile", ConfigLoader.ENV_UPSTREAM_CERT_FILE),
        path(upstream, "keyFile", ConfigLoader.ENV_UPSTREAM_KEY_FILE),
        upstream.bool("verifyHost", true),
        Secret.of(security.env(ConfigLoader.ENV_UPSTREAM_PASSWORD))));
    upstream.refuseUnknownKeys();
    if (t == null || mqttAuth == null) return null;

    boolean mqttCertificates = t.onMqtt() && t.clientCertificates();
    boolean httpCertificates = t.onHttp() && t.clientCaFile() != null;
    boolean loopback = loopback(bindHost);
    boolean mqttAnonymous = anonymous != null ? anonymous : loopback && credentials == null && !mqttCertificates;
    boolean httpAnonymous = anonymous != null ? anonymous : loopback && tokens == null && !httpCertificates;
    if (!mqttAnonymous && credentials == null && !mqttCertificates) {
      problems.add(security.name("mqtt.credentialsFile"), closed("MQTT", bindHost, "security.mqtt.credentialsFile "
          + "(NODE_MQTT_CREDENTIALS_FILE), or client certificates (security.tls.clientCaFile)"));
    }
    if (!httpAnonymous && tokens == null && !httpCertificates) {
      problems.add(security.name("http.tokensFile"), closed("HTTP", bindHost, "security.http.tokensFile "
          + "(NODE_HTTP_TOKENS_FILE), or client certificates (security.tls.clientCaFile)"));
    }
    if (!loopback && !plaintext) {
      if (credentials != null && !(t.enabled() && t.onMqtt())) {
        problems.add(security.name("mqtt.credentialsFile"), inClear("MQTT passwords", bindHost, "security.tls.mqtt"));
      }
      if (tokens != null && !(t.enabled() && t.onHttp())) {
        problems.add(security.name("http.tokensFile"), inClear("HTTP bearer tokens", bindHost, "security.tls.http"));
      }
    }
    return new NodeConfig.Security(t,
        new NodeConfig.MqttAuth(mqttAnonymous, credentials, mqttAuth.loginCacheTtl(), mqttAuth.maxPendingLogins(),
            mqttAuth.loginThreads(), mqttAuth.failedLoginsPerAddress(), mqttAuth.failedLoginWindow()),
        new NodeConfig.HttpAuth(httpAnonymous, tokens, openMetrics), upstreamTls, plaintext);
  }

  private static String inClear(String what, String bindHost, String tlsSwitch) {
    return what + " would cross the network in clear: the node listens on " + bindHost + " without TLS on that intake. "
        + "Set security.tls.certFile and keyFile (NODE_TLS_CERT_FILE, NODE_TLS_KEY_FILE) with " + tlsSwitch + ": true, "
        + "or set security.allowPlaintextCredentials: true (NODE_ALLOW_PLAINTEXT_CREDENTIALS=true) if the network "
        + "itself is private and this is on purpose";
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

  private static Path path(Section section, String key, String envName) {
    String v = section.string(key, envName, null);
    return v == null || v.isEmpty() ? null : Path.of(v);
  }
}
