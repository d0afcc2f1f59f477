package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub state has one synchronous backup: a drain or cluster upgrade may take one member at a time, no more. */
class DisruptionBudgetTest {
  @Test
  void atMostOneNodeIsDisruptedAtATime() {
    Manifests release = ChartRender.region("central");
    Map<String, Object> pdb = release.one("PodDisruptionBudget");
    assertEquals("policy/v1", pdb.get("apiVersion"));
    assertEquals(1, Tree.integer(pdb, "spec.maxUnavailable"));
    assertNull(Tree.at(pdb, "spec.minAvailable"));
    assertEquals(Tree.map(release.statefulSet(), "spec.selector.matchLabels"), Tree.map(pdb, "spec.selector.matchLabels"));
  }
}
