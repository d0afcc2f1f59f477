package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's pod as the kubelet sees it: probes, stop, update, storage. */
class NodePodTest {
  private final Manifests release = ChartRender.region("north");

  @Test
  void probesAskTheNodesHealthEndpointsOnItsHttpPort() {
    Map<String, Object> container = release.container();
    assertEquals("/health/started", Tree.string(container, "startupProbe.httpGet.path"));
    assertEquals("/health/live", Tree.string(container, "livenessProbe.httpGet.path"));
    assertEquals("/health/ready", Tree.string(container, "readinessProbe.httpGet.path"));

    int httpPort = release.containerPort("http");
    assertEquals(String.valueOf(httpPort), release.env("NODE_HTTP_PORT"), "the node listens where the probes ask");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertEquals(httpPort, release.containerPort(Tree.at(container, probe + ".httpGet.port")), probe);
    }
    Map<String, Object> http = release.named("Service", "-http");
    assertEquals("ClusterIP", Tree.string(http, "spec.type"));
    Map<String, Object> servicePort = Tree.<Map<String, Object>>list(http, "spec.ports").get(0);
    assertEquals(httpPort, release.containerPort(servicePort.get("targetPort")));
  }

  @Test
  void theMqttIntakeIsALoadBalancerOnTheNodesMqttPort() {
    Map<String, Object> mqtt = release.named("Service", "-mqtt");
    assertEquals("LoadBalancer", Tree.string(mqtt, "spec.type"));
    Map<String, Object> port = Tree.<Map<String, Object>>list(mqtt, "spec.ports").get(0);
    // The region files turn TLS on: MQTT over TLS, on 8883.
    assertEquals(8883, ((Number) port.get("port")).intValue());
    assertEquals(Integer.parseInt(release.env("NODE_MQTT_PORT")), release.containerPort(port.get("targetPort")));
    assertEquals(Tree.map(release.statefulSet(), "spec.selector.matchLabels"), Tree.map(mqtt, "spec.selector"));

    Map<String, Object> local = ChartRender.region("north", "mqtt.service.externalTrafficPolicy=Local").named("Service", "-mqtt");
    assertEquals("Local", Tree.string(local, "spec.externalTrafficPolicy"));
  }

  /** Stop: the load balancer lets go during preStop, then SIGTERM drains the node within the grace period. */
  @Test
  void stopsGracefullyAndRollsOnePodAtATime() {
    assertTrue(Tree.integer(release.podSpec(), "terminationGracePeriodSeconds") >= 60);
    List<String> preStop = Tree.list(release.container(), "lifecycle.preStop.exec.command");
    assertEquals(List.of("sh", "-c", "sleep 5"), preStop);
    assertEquals("105s", release.env("NODE_STOP_TIMEOUT"), "the node's whole stop: grace 120 - preStop 5 - margin 10");
    assertEquals("RollingUpdate", Tree.string(release.statefulSet(), "spec.updateStrategy.type"));
    assertNull(Tree.at(release.statefulSet(), "spec.updateStrategy.rollingUpdate.maxUnavailable"), "one at a time");
  }

  @Test
  void theOutboxSpillGoesToAVolumeClaimOrAnEmptyDir() {
    Map<String, Object> dataMount = release.mountAt("/data");
    List<Map<String, Object>> claims = Tree.list(release.statefulSet(), "spec.volumeClaimTemplates");
    assertEquals(dataMount.get("name"), Tree.string(claims.get(0), "metadata.name"));
    assertNotNull(Tree.at(claims.get(0), "spec.resources.requests.storage"));

    Manifests ephemeral = ChartRender.region("north", "persistence.enabled=false");
    assertNull(Tree.at(ephemeral.statefulSet(), "spec.volumeClaimTemplates"));
    assertNotNull(Tree.at(ephemeral.volume((String) ephemeral.mountAt("/data").get("name")), "emptyDir"));
  }

  @Test
  void tlsMaterialIsMountedOnlyWhenASecretIsNamed() {
    Manifests plain = ChartRender.region("north", "tls.secretName=", "security.allowPlaintextCredentials=true");
    assertTrue(Tree.<Map<String, Object>>list(plain.podSpec(), "volumes").stream().noneMatch(v -> "tls".equals(v.get("name"))));
    Manifests tls = ChartRender.region("north");
    Map<String, Object> mount = tls.mountAt("/etc/csp-edge-node/tls");
    assertEquals(Boolean.TRUE, mount.get("readOnly"));
    assertEquals("csp-edge-tls", Tree.string(tls.volume((String) mount.get("name")), "secret.secretName"));
  }
}
