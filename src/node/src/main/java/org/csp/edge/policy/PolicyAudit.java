package org.csp.edge.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of who changed the policy: one structured line per change on the {@code csp.audit} logger (a JSON
 * object, so that a log pipeline can route and index it whatever the node's log format), written by the member
 * that made the change, and {@code csp_policy_changes_total{action}}; {@code csp_policy_version} is the version
 * each member has in force.
 */
public final class PolicyAudit {
  private static final Logger audit = LoggerFactory.getLogger("csp.audit");

  /** What made a version. */
  public enum Action {
    PUT("put"), ROLLBACK("rollback"), FILE("file");

    private final String wireName;

    Action(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  private final MeterRegistry registry;

  public PolicyAudit(MeterRegistry registry) {
    this.registry = registry;
  }

  void showVersion(IntSupplier inForce) {
    Gauge.builder("csp.policy.version", inForce::getAsInt).description("the policy version in force on this member")
        .register(registry);
    for (Action a : Action.values()) counter(a); // each series shows from the start, at 0
  }

  void changed(Action action, PolicyVersion made, JsonArray diff, Integer rolledBackTo) {
    counter(action).increment();
    JsonObject line = new JsonObject().put("audit", "policy.change").put("action", action.wireName())
        .put("version", made.version()).put("changedBy", made.changedBy()).put("changedAt", made.changedAt().toString())
        .put("comment", made.comment()).put("changes", diff.size()).put("diff", diff);
    if (rolledBackTo != null) line.put("rolledBackTo", rolledBackTo);
    audit.info("{}", line.encode());
  }

  private Counter counter(Action action) {
    return Counter.builder("csp.policy.changes").description("policy versions made by this member, by action")
        .tag("action", action.wireName()).register(registry);
  }
}
