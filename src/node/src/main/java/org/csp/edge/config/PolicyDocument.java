package org.csp.edge.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.csp.edge.decision.AlertPolicy;

/**
 * A policy document from outside the configuration file (the HTTP API's {@code PUT /v1/policy}), checked by the
 * same rules as the file's {@code policy} section: unknown keys, types, ranges, thresholds that must agree. Every
 * problem is named with its key path under {@code policy.}, all at once.
 */
public final class PolicyDocument {
  private PolicyDocument() {}

  /** The policy {@code document} describes; a {@link ConfigException} naming each bad setting when it is refused. */
  public static AlertPolicy check(JsonObject document) {
    Problems problems = new Problems();
    Section top = Section.top(new JsonObject().put("policy", document), Map.of(), problems);
    AlertPolicy policy = PolicySettings.read(top.section("policy"));
    problems.throwIfAny();
    return policy;
  }

  /** The document of a policy in its full written form: every setting present, as {@code GET /v1/policy} shows it. */
  public static JsonObject normalised(AlertPolicy policy) {
    return PolicyJson.write(policy);
  }
}
