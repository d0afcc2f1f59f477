package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Only the ports the node uses are open, and Hazelcast only between the release's own pods. */
class NetworkPolicyTest {
  private final Manifests release = ChartRender.region("north");
  private final Map<String, Object> policy = release.one("NetworkPolicy");

  @Test
  void appliesToTheNodesInBothDirections() {
    assertEquals(Tree.map(release.statefulSet(), "spec.selector.matchLabels"), Tree.map(policy, "spec.podSelector.matchLabels"));
    assertEquals(List.of("Ingress", "Egress"), Tree.list(policy, "spec.policyTypes"));
  }

  @Test
  void ingressOpensExactlyMqttHttpAndHazelcast() {
    List<Map<String, Object>> rules = Tree.list(policy, "spec.ingress");
    assertEquals(Set.of(Integer.parseInt(release.env("NODE_MQTT_PORT")), 8080, 5701), ports(rules));
    Map<String, Object> hazelcast = ruleFor(rules, 5701);
    List<Map<String, Object>> from = Tree.list(hazelcast, "from");
    assertEquals(1, from.size());
    assertEquals(Tree.map(release.statefulSet(), "spec.selector.matchLabels"), Tree.map(from.get(0), "podSelector.matchLabels"),
        "Hazelcast only from the release's own pods");
    assertFalse(from.get(0).containsKey("namespaceSelector"), "and only from its own namespace");
  }

  @Test
  void egressReachesDnsTheOtherMembersAndTheUpstreamBroker() {
    List<Map<String, Object>> rules = Tree.list(policy, "spec.egress");
    assertEquals(Set.of(53, 5701, 1883, 8883), ports(rules));
    List<Map<String, Object>> dnsPorts = Tree.list(ruleFor(rules, 53), "ports");
    assertEquals(Set.of("UDP", "TCP"), new TreeSet<>(dnsPorts.stream().map(p -> (String) p.get("protocol")).toList()));
    assertTrue(Tree.at(ruleFor(rules, 5701), "to") != null, "Hazelcast only to the release's own pods");
  }

  /** The reports' database and the digests' SMTP server are reachable once in use, and only then. */
  @Test
  void egressReachesTheReportsDatabaseAndTheSmtpServerWhenTheyAreInUse() {
    Manifests analysis = ChartRender.region("north", "rollups.database.existingSecret=reports-db",
        "config.digests.email.enabled=true", "config.digests.email.smtp.host=smtp.example.org",
        "config.digests.email.smtp.port=465", "config.digests.email.from=csp@example.org",
        "config.digests.email.to.dno[0]=ops@dno.example",
        "networkPolicy.smtp.to[0].ipBlock.cidr=192.0.2.25/32");
    List<Map<String, Object>> rules = Tree.list(analysis.one("NetworkPolicy"), "spec.egress");
    assertEquals(Set.of(53, 5701, 1883, 8883, 5432, 465), ports(rules));
    assertEquals("192.0.2.25/32", Tree.string(Tree.<Map<String, Object>>list(ruleFor(rules, 465), "to").get(0), "ipBlock.cidr"));
    assertEquals(null, Tree.at(ruleFor(rules, 5432), "to"), "the database anywhere unless narrowed");

    Manifests defaultPort = ChartRender.region("north", "config.digests.email.enabled=true",
        "config.digests.email.smtp.host=smtp.example.org", "config.digests.email.from=csp@example.org",
        "config.digests.email.to.dno[0]=ops@dno.example");
    assertTrue(ports(Tree.list(defaultPort.one("NetworkPolicy"), "spec.egress")).contains(587), "the node's default port");
  }

  @Test
  void anHttpSourceCanBeNarrowedToTheMonitoringNamespace() {
    Manifests narrowed = ChartRender.region("north",
        "networkPolicy.http.from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring");
    Map<String, Object> http = ruleFor(Tree.list(narrowed.one("NetworkPolicy"), "spec.ingress"), 8080);
    assertEquals("monitoring",
        Tree.map(Tree.<Map<String, Object>>list(http, "from").get(0), "namespaceSelector.matchLabels").get("kubernetes.io/metadata.name"));
  }

  private static Set<Integer> ports(List<Map<String, Object>> rules) {
    Set<Integer> ports = new TreeSet<>();
    for (Map<String, Object> rule : rules) {
      for (Map<String, Object> port : Tree.<Map<String, Object>>list(rule, "ports")) ports.add(((Number) port.get("port")).intValue());
    }
    return ports;
  }

  private static Map<String, Object> ruleFor(List<Map<String, Object>> rules, int port) {
    return rules.stream()
        .filter(r -> Tree.<Map<String, Object>>list(r, "ports").stream().anyMatch(p -> ((Number) p.get("port")).intValue() == port))
        .findFirst().orElseThrow();
  }
}
