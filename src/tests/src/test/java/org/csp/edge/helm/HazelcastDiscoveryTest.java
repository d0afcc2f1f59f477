package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The members of a region find each other by a DNS lookup of the headless service: the chart's service, the
 * environment it gives the node, and cluster-config/kubernetes.xml have to agree on its name and port.
 */
class HazelcastDiscoveryTest {

  @ParameterizedTest
  @ValueSource(strings = {"north", "central", "south"})
  void theHeadlessServicePublishesEveryNodeOnTheHazelcastPort(String region) {
    Manifests release = ChartRender.region(region);
    Map<String, Object> service = release.named("Service", "-hazelcast");
    assertEquals("None", Tree.string(service, "spec.clusterIP"));
    // A node becomes ready only after joining: the not-ready ones must be found to be joined.
    assertEquals(Boolean.TRUE, Tree.at(service, "spec.publishNotReadyAddresses"));
    List<Map<String, Object>> ports = Tree.list(service, "spec.ports");
    assertEquals(1, ports.size());
    assertEquals(5701, ((Number) ports.get(0).get("port")).intValue());
    assertEquals(5701, release.containerPort(ports.get(0).get("targetPort")));

    Map<String, Object> podLabels = Tree.map(release.statefulSet(), "spec.template.metadata.labels");
    Map<String, Object> selector = Tree.map(service, "spec.selector");
    assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), selector + " selects " + podLabels);
    assertEquals(Tree.string(service, "metadata.name"), Tree.string(release.statefulSet(), "spec.serviceName"));

    String fqdn = Tree.string(service, "metadata.name") + ".csp-" + region + ".svc.cluster.local";
    assertEquals(fqdn, release.env("NODE_HAZELCAST_SERVICE_DNS"));
    assertEquals("cluster-config/kubernetes.xml", release.env("NODE_CLUSTER_CONFIG"));
  }

  /** Clusters whose DNS domain is not cluster.local set clusterDomain: the members still find each other. */
  @Test
  void theServiceNameFollowsTheClustersDnsDomain() {
    Manifests release = ChartRender.region("north", "clusterDomain=k8s.example.internal");
    assertEquals("csp-north-csp-edge-node-hazelcast.csp-north.svc.k8s.example.internal", release.env("NODE_HAZELCAST_SERVICE_DNS"));
    assertEquals("csp-north-csp-edge-node-hazelcast.csp-north.svc.cluster.local", ChartRender.region("north").env("NODE_HAZELCAST_SERVICE_DNS"),
        "cluster.local by default");
    Exception bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> ChartRender.region("north", "clusterDomain=.cluster.local"));
    assertTrue(bad.getMessage().contains("clusterDomain"), bad.getMessage());
  }

  /** The file the chart names joins through Kubernetes DNS, on the service the chart sets and port 5701. */
  @Test
  void theKubernetesClusterConfigJoinsThroughThatService() throws Exception {
    Path file = Path.of("cluster-config", "kubernetes.xml");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document xml = factory.newDocumentBuilder().parse(file.toFile());
    Element join = (Element) xml.getElementsByTagNameNS("*", "join").item(0);
    Element kubernetes = child(join, "kubernetes");
    assertEquals("true", kubernetes.getAttribute("enabled"));
    for (String other : List.of("multicast", "tcp-ip", "auto-detection")) {
      Element e = child(join, other);
      assertTrue(e == null || "false".equals(e.getAttribute("enabled")), other + " must be off");
    }
    assertTrue(child(kubernetes, "service-dns").getTextContent().trim().startsWith("${NODE_HAZELCAST_SERVICE_DNS"),
        "the service name comes from the chart's NODE_HAZELCAST_SERVICE_DNS");
    assertEquals("5701", child(kubernetes, "service-port").getTextContent().trim());
    assertEquals("5701", ((Element) xml.getElementsByTagNameNS("*", "port").item(0)).getTextContent().trim(),
        "the member listens where the service and the NetworkPolicy expect it");
  }

  private static Element child(Element parent, String name) {
    for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName())) return e;
    }
    return null;
  }
}
