package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scaling out during a storm: the HPA adds nodes fast and removes them slowly, one Hazelcast member at a time. */
class AutoscalingTest {
  static final String ALERTS_METRIC = "csp_alerts_received_per_second";

  @Test
  void theHpaScalesTheNodesStatefulSet() {
    Manifests release = ChartRender.region("north");
    Map<String, Object> hpa = release.one("HorizontalPodAutoscaler");
    assertEquals("autoscaling/v2", hpa.get("apiVersion"));
    assertEquals("apps/v1", Tree.string(hpa, "spec.scaleTargetRef.apiVersion"));
    assertEquals("StatefulSet", Tree.string(hpa, "spec.scaleTargetRef.kind"));
    assertEquals(Tree.string(release.statefulSet(), "metadata.name"), Tree.string(hpa, "spec.scaleTargetRef.name"));
    assertTrue(Tree.integer(hpa, "spec.minReplicas") <= Tree.integer(hpa, "spec.maxReplicas"));
    // The HPA owns the count: a replicas field would be reset to its value by every helm upgrade.
    assertNull(Tree.at(release.statefulSet(), "spec.replicas"));
    // Several nodes may start at once (the default OrderedReady would add them one by one).
    assertEquals("Parallel", Tree.string(release.statefulSet(), "spec.podManagementPolicy"));
  }

  @Test
  void byCpuByDefaultAndByAlertsPerSecondOnlyWhenEnabled() {
    Map<String, Object> byDefault = ChartRender.region("central").one("HorizontalPodAutoscaler");
    Map<String, Object> cpu = metric(byDefault, "Resource").orElseThrow();
    assertEquals("cpu", Tree.string(cpu, "resource.name"));
    assertEquals("Utilization", Tree.string(cpu, "resource.target.type"));
    assertTrue(Tree.integer(cpu, "resource.target.averageUtilization") > 0);
    assertFalse(metric(byDefault, "Pods").isPresent(), "no custom metric unless prometheus-adapter serves it");

    Map<String, Object> enabled = ChartRender.region("central",
        "autoscaling.alertsPerSecond.enabled=true", "autoscaling.alertsPerSecond.targetAverageValue=750")
        .one("HorizontalPodAutoscaler");
    Map<String, Object> alerts = metric(enabled, "Pods").orElseThrow();
    assertEquals(ALERTS_METRIC, Tree.string(alerts, "pods.metric.name"));
    assertEquals("AverageValue", Tree.string(alerts, "pods.target.type"));
    assertEquals("750", Tree.string(alerts, "pods.target.averageValue"));
    assertTrue(metric(enabled, "Resource").isPresent(), "CPU stays a metric alongside");
  }

  @Test
  void scalesUpAtOnceAndDownAfterALongStabilisation() {
    Map<String, Object> behavior = Tree.map(ChartRender.region("south").one("HorizontalPodAutoscaler"), "spec.behavior");
    assertEquals(0, Tree.integer(behavior, "scaleUp.stabilizationWindowSeconds"));
    assertEquals("Max", Tree.string(behavior, "scaleUp.selectPolicy"));
    assertTrue(Tree.integer(behavior, "scaleDown.stabilizationWindowSeconds") >= 300,
        "a storm comes in waves: nodes are kept through a lull");
    List<Map<String, Object>> down = Tree.list(behavior, "scaleDown.policies");
    assertTrue(down.stream().allMatch(p -> "Pods".equals(p.get("type")) && ((Number) p.get("value")).intValue() == 1),
        "down one member at a time, so partitions migrate between removals: " + down);
  }

  @Test
  void withoutAutoscalingTheStatefulSetHoldsTheCount() {
    Manifests release = ChartRender.region("north", "autoscaling.enabled=false", "replicas=5");
    assertFalse(release.has("HorizontalPodAutoscaler"));
    assertEquals(5, Tree.integer(release.statefulSet(), "spec.replicas"));
  }

  private static Optional<Map<String, Object>> metric(Map<String, Object> hpa, String type) {
    return Tree.<Map<String, Object>>list(hpa, "spec.metrics").stream().filter(m -> type.equals(m.get("type"))).findFirst();
  }
}
