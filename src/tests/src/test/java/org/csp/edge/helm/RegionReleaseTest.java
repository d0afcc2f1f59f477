package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One release per CSP region: each renders into well-formed Kubernetes objects that all say their region. */
class RegionReleaseTest {
  private static final Set<String> EXPECTED_KINDS = Set.of("StatefulSet", "Service", "ConfigMap",
      "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy");

  @ParameterizedTest
  @ValueSource(strings = {"north", "central", "south"})
  void everyRenderedDocumentIsAKubernetesObject(String region) {
    Manifests release = ChartRender.region(region);
    Set<String> kindAndName = new HashSet<>();
    for (Map<String, Object> object : release.documents()) {
      assertNotNull(object.get("apiVersion"), "apiVersion of " + object);
      assertNotNull(object.get("kind"), "kind of " + object);
      String name = Tree.string(object, "metadata.name");
      assertNotNull(name, "metadata.name of a " + object.get("kind"));
      assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, "a DNS label: " + name);
      assertTrue(kindAndName.add(object.get("kind") + "/" + name), "one " + object.get("kind") + " named " + name);
    }
    Set<String> kinds = new HashSet<>();
    release.documents().forEach(d -> kinds.add((String) d.get("kind")));
    assertTrue(kinds.containsAll(EXPECTED_KINDS), "rendered kinds " + kinds);
    assertEquals(3, release.all("Service").size(), "Hazelcast, MQTT and HTTP services");
  }

  @ParameterizedTest
  @ValueSource(strings = {"north", "central", "south"})
  void theRegionIsInTheNodesEnvironmentAndInEveryLabel(String region) {
    Manifests release = ChartRender.region(region);
    assertEquals(region, release.env("NODE_REGION"));
    for (Map<String, Object> object : release.documents()) {
      assertEquals(region, Tree.map(object, "metadata.labels").get("csp.region"),
          "csp.region label of " + object.get("kind") + " " + Tree.string(object, "metadata.name"));
    }
    assertEquals(region, Tree.map(release.statefulSet(), "spec.template.metadata.labels").get("csp.region"));
    assertEquals(region, Tree.map(release.statefulSet(), "spec.selector.matchLabels").get("csp.region"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"north", "central", "south"})
  void eachRegionNamesItsOwnUpstreamAndCredentials(String region) {
    Manifests release = ChartRender.region(region);
    String url = release.env("NODE_UPSTREAM_URL");
    assertNotNull(url, "a region's release publishes to the DSP, not to the embedded broker");
    assertTrue(url.matches("(tcp|ssl)://[^/]+:\\d+") && url.contains(region), url);
    assertNotNull(release.env("NODE_UPSTREAM_USERNAME"));
    String passwordFile = release.env("NODE_UPSTREAM_PASSWORD_FILE");
    assertNotNull(passwordFile);
    // The password is a file of the mounted Secret: the chart refers to the Secret, it never holds a password.
    String dir = passwordFile.substring(0, passwordFile.lastIndexOf('/'));
    assertEquals(Boolean.TRUE, release.mountAt(dir).get("readOnly"));
    String volume = (String) release.mountAt(dir).get("name");
    assertNotNull(Tree.string(release.volume(volume), "secret.secretName"));
    assertFalse(release.has("Secret"), "no Secret with data in the chart");
  }

  /** Pods are the node ids: NODE_ID comes from the pod's name, which the StatefulSet keeps stable. */
  @Test
  void theNodeIdIsThePodName() {
    Manifests release = ChartRender.region("north");
    assertEquals("metadata.name", Tree.string(release.envVar("NODE_ID"), "valueFrom.fieldRef.fieldPath"));
    assertEquals("0.0.0.0", release.env("NODE_BIND_HOST"), "the node listens on loopback unless told otherwise");
    assertEquals("/data", release.env("NODE_DATA_DIR"));
    assertEquals("json", release.env("NODE_LOG_FORMAT"));
    assertTrue(release.env("JAVA_TOOL_OPTIONS").contains("-XX:MaxRAMPercentage=75"));
    assertEquals(String.valueOf(release.containerPort("mqtt")), release.env("NODE_MQTT_PORT"));
  }

  /** The heap is sized from the memory limit: limit = request, so the pod is never squeezed below its heap. */
  @Test
  void memoryIsRequestedAsMuchAsItIsLimited() {
    Map<String, Object> resources = Tree.map(ChartRender.region("central").container(), "resources");
    assertNotNull(Tree.at(resources, "limits.memory"));
    assertEquals(Tree.at(resources, "requests.memory"), Tree.at(resources, "limits.memory"));
    assertNotNull(Tree.at(resources, "requests.cpu"));
    assertNull(Tree.at(resources, "limits.cpu"), "no CPU limit by default: a storm may use idle CPU");
  }

  /** The node refuses such a region at start; the chart refuses it at install, before any pod is replaced. */
  @Test
  void aRegionTheNodeWouldRefuseFailsTheInstall() {
    Exception e = assertThrows(IllegalStateException.class, () -> ChartRender.region("north", "region=North East"));
    assertTrue(e.getMessage().contains("region must be"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> ChartRender.region("north", "autoscaling.minReplicas=20"));
  }

  /** A pod on every interface without credentials would be refused by the node: the install is refused instead. */
  @Test
  void theDefaultsAloneAskForCredentialsAtInstall() {
    Exception e = assertThrows(IllegalStateException.class, ChartRender::defaults);
    assertTrue(e.getMessage().contains("security.mqttCredentialsSecret") && e.getMessage().contains("allowAnonymous"),
        e.getMessage());
    Exception http = assertThrows(IllegalStateException.class,
        () -> ChartRender.defaults("security.mqttCredentialsSecret=mqtt-creds"));
    assertTrue(http.getMessage().contains("security.httpTokensSecret"), http.getMessage());
    Exception clear = assertThrows(IllegalStateException.class, () -> ChartRender.defaults(
        "security.mqttCredentialsSecret=mqtt-creds", "security.httpTokensSecret=http-tokens"));
    assertTrue(clear.getMessage().contains("tls.secretName") && clear.getMessage().contains("allowPlaintextCredentials"),
        "passwords and tokens in clear are refused at install: " + clear.getMessage());
    Manifests authenticated = ChartRender.defaults("security.mqttCredentialsSecret=mqtt-creds",
        "security.httpTokensSecret=http-tokens", "tls.secretName=csp-edge-tls");
    assertEquals("mqtt-creds", Tree.string(authenticated.volume("mqtt-credentials"), "secret.secretName"));
    assertEquals("http-tokens", Tree.string(authenticated.volume("http-tokens"), "secret.secretName"));
    assertNull(authenticated.env("NODE_ALLOW_PLAINTEXT_CREDENTIALS"), "never in clear by default");
    Manifests lab = ChartRender.defaults("security.mqttCredentialsSecret=mqtt-creds",
        "security.httpTokensSecret=http-tokens", "security.allowPlaintextCredentials=true");
    assertEquals("true", lab.env("NODE_ALLOW_PLAINTEXT_CREDENTIALS"), "in clear only on purpose, and the node is told so");
  }

  @Test
  void theDefaultsOpenedOnPurposeRenderTheSameObjects() {
    Manifests defaults = ChartRender.defaults("security.allowAnonymous=true");
    assertEquals("central", defaults.env("NODE_REGION"));
    assertNull(defaults.env("NODE_UPSTREAM_URL"), "no upstream: the node's embedded broker");
    assertEquals(List.of(), defaults.all("Secret"));
    assertEquals(3, defaults.all("Service").size());
  }
}
