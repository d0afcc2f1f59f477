package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod meets the "restricted" Pod Security Standard, yet the JVM and Hazelcast still have a place to write. */
class PodSecurityTest {
  private final Manifests release = ChartRender.region("south");

  @Test
  void runsAsTheImagesNonRootUserUnderRuntimeDefaultSeccomp() {
    Map<String, Object> pod = Tree.map(release.podSpec(), "securityContext");
    assertEquals(Boolean.TRUE, pod.get("runAsNonRoot"));
    assertEquals(10001, Tree.integer(pod, "runAsUser"), "the uid of node/Containerfile's user");
    assertEquals(10001, Tree.integer(pod, "runAsGroup"));
    assertEquals(10001, Tree.integer(pod, "fsGroup"), "so the node can write its spill to the data volume");
    assertEquals("RuntimeDefault", Tree.string(pod, "seccompProfile.type"));
    assertEquals(Boolean.FALSE, release.podSpec().get("automountServiceAccountToken"));
  }

  @Test
  void theContainerCannotEscalateAndItsRootFilesystemIsReadOnly() {
    Map<String, Object> container = Tree.map(release.container(), "securityContext");
    assertEquals(Boolean.TRUE, container.get("readOnlyRootFilesystem"));
    assertEquals(Boolean.FALSE, container.get("allowPrivilegeEscalation"));
    assertEquals(Boolean.FALSE, container.get("privileged"));
    assertEquals(List.of("ALL"), Tree.list(container, "capabilities.drop"));
  }

  @Test
  void tmpIsAWritableEmptyDir() {
    Map<String, Object> tmp = release.mountAt("/tmp");
    assertNotEquals(Boolean.TRUE, tmp.get("readOnly"));
    assertNotNull(Tree.at(release.volume((String) tmp.get("name")), "emptyDir"));
  }
}
