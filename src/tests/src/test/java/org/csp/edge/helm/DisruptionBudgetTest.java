package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub state has {@code hubBackups} synchronous backups (one by default): a drain or cluster upgrade may take that
 * many members at a time, no more.
 */
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

  @Test
  void moreBackupsReachTheMembersAndAllowWiderDisruptions() {
    assertEquals("1", ChartRender.region("central").env("NODE_HUB_BACKUPS"), "one backup unless asked");
    Manifests two = ChartRender.region("central", "hubBackups=2", "podDisruptionBudget.maxUnavailable=2");
    assertEquals("2", two.env("NODE_HUB_BACKUPS"), "cluster-config/kubernetes.xml reads it for the hub state's backups");
    assertEquals(2, Tree.integer(two.one("PodDisruptionBudget"), "spec.maxUnavailable"));
  }

  @Test
  void aBudgetWiderThanTheBackupsFailsTheInstall() {
    Exception wide = assertThrows(IllegalStateException.class,
        () -> ChartRender.region("central", "podDisruptionBudget.maxUnavailable=2"));
    assertTrue(wide.getMessage().contains("must be at most hubBackups"), wide.getMessage());
    Exception none = assertThrows(IllegalStateException.class, () -> ChartRender.region("central", "hubBackups=0"));
    assertTrue(none.getMessage().contains("hubBackups must be 1 to 6"), none.getMessage());
  }
}
