package org.csp.edge.security;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.NodeConfig;

/**
 * TLS from PEM files, as a Kubernetes Secret mounts them ({@code tls.crt}, {@code tls.key}, {@code ca.crt}): for the
 * MQTT and HTTP servers, and for the client link to the DSP's broker. Files are checked at start, so a missing
 * mount stops the node with the setting's name instead of failing the first handshake.
 */
public final class TlsFiles {
  /** Host name verification as HTTPS does it (RFC 2818): the broker's certificate must name the host dialled. */
  private static final String VERIFY_HOST = "HTTPS";

  private TlsFiles() {}

  public static void apply(MqttServerOptions options, NodeConfig.Tls tls) {
    if (!tls.enabled() || !tls.onMqtt()) return;
    options.setSsl(true).setKeyCertOptions(keyCert(tls.certFile(), tls.keyFile(), "security.tls"));
    if (tls.clientCertificates()) {
      options.setTrustOptions(trust(tls.clientCaFile(), "security.tls.clientCaFile")).setClientAuth(tls.clientAuth());
    }
  }

  /** HTTP requests a client certificate at most: health probes and scrapers have none. */
  public static void apply(HttpServerOptions options, NodeConfig.Tls tls) {
    if (!tls.enabled() || !tls.onHttp()) return;
    options.setSsl(true).setKeyCertOptions(keyCert(tls.certFile(), tls.keyFile(), "security.tls"));
    if (tls.clientCaFile() != null) {
      options.setTrustOptions(trust(tls.clientCaFile(), "security.tls.clientCaFile")).setClientAuth(ClientAuth.REQUEST);
    }
  }

  /** TLS towards the DSP's broker, for an {@code ssl://} upstream URL. */
  public static void apply(MqttClientOptions options, NodeConfig.UpstreamTls tls) {
    options.setSsl(true);
    options.setHostnameVerificationAlgorithm(tls.verifyHost() ? VERIFY_HOST : "");
    if (tls.caFile() != null) options.setTrustOptions(trust(tls.caFile(), "security.upstream.caFile"));
    if (tls.certFile() != null) options.setKeyCertOptions(keyCert(tls.certFile(), tls.keyFile(), "security.upstream"));
  }

  private static PemKeyCertOptions keyCert(Path cert, Path key, String setting) {
    readable(cert, setting + ".certFile");
    readable(key, setting + ".keyFile");
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }

  private static PemTrustOptions trust(Path ca, String setting) {
    readable(ca, setting);
    return new PemTrustOptions().addCertPath(ca.toString());
  }

  private static void readable(Path file, String setting) {
    if (!Files.isReadable(file)) throw new ConfigException(setting + ": cannot read " + file);
  }

  /**
   * The common name (CN) of the verified client certificate of a TLS session, or null when there is none (no TLS,
   * or the client sent no certificate: a chain that does not verify never gets this far, the handshake fails).
   */
  public static String clientCommonName(SSLSession session) {
    if (session == null) return null;
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) return null;
      return commonName(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  public static String clientCommonName(List<Certificate> chain) {
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) return null;
    return commonName(leaf);
  }

  private static String commonName(X509Certificate leaf) {
    try {
      List<Rdn> rdns = new LdapName(leaf.getSubjectX500Principal().getName()).getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if ("CN".equalsIgnoreCase(rdns.get(i).getType())) return String.valueOf(rdns.get(i).getValue());
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
