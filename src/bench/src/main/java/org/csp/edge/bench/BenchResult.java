package org.csp.edge.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A whole benchmark run: how it was run, where, and each scenario's result. */
record BenchResult(String commandLine, BenchOptions options, JsonObject machine, Instant startedAt, Duration elapsed,
    List<ScenarioResult> scenarios) {

  /** The accounting equation held for every scenario: the run's success criterion. */
  boolean accountingHeld() {
    return !scenarios.isEmpty() && scenarios.stream().allMatch(s -> s.accounting().holds());
  }

  JsonObject toJson() {
    JsonArray results = new JsonArray();
    scenarios.forEach(s -> results.add(s.toJson()));
    JsonArray targets = new JsonArray();
    IssueTargets.evaluate(scenarios).forEach(t -> targets.add(t.toJson()));
    return new JsonObject()
        .put("command", commandLine)
        .put("startedAt", startedAt.toString())
        .put("elapsedSeconds", elapsed.toSeconds())
        .put("machine", machine)
        .put("options", options.toJson())
        .put("accountingHeldInEveryScenario", accountingHeld())
        .put("scenarios", results)
        .put("targets", targets);
  }
}
