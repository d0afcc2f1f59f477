package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node's security settings as the chart passes them: Secrets mounted read-only where the NODE_* variables say,
 * TLS on the intakes switching the probes to HTTPS, and no secret value ever written into the manifests.
 */
class SecurityValuesTest {
  @Test
  void eachRegionMountsItsCredentialsAndTokensWhereTheNodeLooks() {
    for (String region : ChartRender.REGIONS) {
      Manifests release = ChartRender.region(region);
      String credentials = release.env("NODE_MQTT_CREDENTIALS_FILE");
      String tokens = release.env("NODE_HTTP_TOKENS_FILE");
      Map<String, Object> mqttMount = release.mountAt(Path.of(credentials).getParent().toString());
      Map<String, Object> httpMount = release.mountAt(Path.of(tokens).getParent().toString());
      assertEquals(Boolean.TRUE, mqttMount.get("readOnly"));
      assertEquals(Boolean.TRUE, httpMount.get("readOnly"));
      Map<String, Object> secret = Tree.map(release.volume((String) mqttMount.get("name")), "secret");
      assertEquals("csp-edge-mqtt-credentials", secret.get("secretName"));
      assertEquals(Path.of(credentials).getFileName().toString(), Tree.<Map<String, Object>>list(secret, "items").get(0).get("path"));
      assertNull(release.env("NODE_ALLOW_ANONYMOUS"), "never open by default");
    }
  }

  @Test
  void tlsOnTheIntakesSwitchesProbesToHttpsAndPointsAtTheSecretsFiles() {
    Manifests plain = ChartRender.region("north", "tls.secretName=", "security.allowPlaintextCredentials=true");
    assertEquals("HTTP", Tree.string(plain.container(), "readinessProbe.httpGet.scheme"));
    assertNull(plain.env("NODE_TLS_CERT_FILE"));

    Manifests tls = ChartRender.region("north", "tls.secretName=csp-edge-tls", "tls.clientCa=true", "tls.clientAuth=required",
        "upstream.tlsSecretName=dsp-ca", "upstream.clientCertificate=true");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertEquals("HTTPS", Tree.string(tls.container(), probe + ".httpGet.scheme"), probe);
    }
    assertEquals("https", Tree.map(tls.statefulSet(), "spec.template.metadata.annotations").get("prometheus.io/scheme"));
    assertEquals("/etc/csp-edge-node/tls/tls.crt", tls.env("NODE_TLS_CERT_FILE"));
    assertEquals("/etc/csp-edge-node/tls/tls.key", tls.env("NODE_TLS_KEY_FILE"));
    assertEquals("/etc/csp-edge-node/tls/ca.crt", tls.env("NODE_TLS_CLIENT_CA_FILE"));
    assertEquals("required", tls.env("NODE_TLS_CLIENT_AUTH"));
    String ca = tls.env("NODE_UPSTREAM_CA_FILE");
    assertTrue(ca.endsWith("/ca.crt"));
    Map<String, Object> mount = tls.mountAt(Path.of(ca).getParent().toString());
    assertEquals("dsp-ca", Tree.string(tls.volume((String) mount.get("name")), "secret.secretName"));
    assertEquals(Path.of(ca).getParent().resolve("tls.crt").toString(), tls.env("NODE_UPSTREAM_CERT_FILE"));
  }

  @Test
  void anonymousAccessIsOnlyEverOnPurpose() {
    assertEquals("true", ChartRender.region("north", "security.allowAnonymous=true").env("NODE_ALLOW_ANONYMOUS"));
  }
}
