package org.csp.edge.policy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.csp.edge.ops.JsonBody;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.PolicyDocument;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.ops.Problems;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.Principal;

/**
 * {@code /v1/policy}: the policy in force with its version and where each rule comes from; {@code PUT} a whole new
 * document (checked as the configuration's policy section is, nothing applied when refused); {@code /history};
 * {@code /rollback}. Reads are open to every authenticated caller, changes need an admin token (HttpGuard). The
 * cluster calls block, so they run on a worker.
 */
public final class PolicyApi {
  public static final String PATH = "/v1/policy";
  /** Far above any real policy (hundreds of codes take tens of kilobytes): a bound on what one request costs. */
  private static final int MAX_BODY_BYTES = 1 << 20;
  /** As a silence's: every version is kept, listed and logged at each start, so its comment is a note, not a file. */
  static final int MAX_COMMENT = 1024;
  private static final Set<String> CHANGE_KEYS = Set.of("policy", "comment");
  private static final Set<String> ROLLBACK_KEYS = Set.of("version", "comment");

  private final Vertx vertx;
  private final PolicyVersions versions;

  public PolicyApi(Vertx vertx, PolicyVersions versions) {
    this.vertx = vertx;
    this.versions = versions;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false);
    router.get(PATH).handler(rc -> answer(rc, 200, this::inForce));
    router.put(PATH).handler(body).handler(this::put);
    router.get(PATH + "/history").handler(rc -> answer(rc, 200, () -> new JsonObject().put("versions", versions.history())));
    router.post(PATH + "/rollback").handler(body).handler(this::rollback);
  }

  /**
   * The policy's settings as {@code PolicyJson} writes them (the fields of this answer before versions existed),
   * then the version's own fields, and per rule its origin: {@code file} where it equals the base (the last policy
   * that came from a configuration file), {@code api} where a change through the API made it differ.
   */
  private JsonObject inForce() {
    PolicyVersion v = versions.inForce();
    JsonObject settings = PolicyJson.write(versions.get());
    PolicyVersion base = versions.base(v.version());
    JsonObject baseSettings = base == null ? settings : PolicyJson.write(PolicyJson.read(base.document()));
    return settings.copy().put("version", v.version()).put("changedAt", v.changedAt().toString())
        .put("changedBy", v.changedBy()).put("comment", v.comment()).put("origin", v.origin().wireName())
        .put("origins", origins(settings, baseSettings)).put("fileDiffers", versions.fileDiffers());
  }

  /**
   * Per rule: each top-level setting, and each entry of a setting that is a map of rules (such as {@code codes}),
   * so that settings the policy gains later are covered without a change here.
   */
  static JsonObject origins(JsonObject settings, JsonObject base) {
    JsonObject out = new JsonObject();
    for (String key : new TreeSet<>(settings.fieldNames())) {
      Object value = settings.getValue(key);
      Object was = base.getValue(key);
      if (value instanceof JsonObject rules && !rules.isEmpty() && rules.stream().allMatch(e -> e.getValue() instanceof JsonObject)) {
        JsonObject wasRules = was instanceof JsonObject w ? w : new JsonObject();
        for (String name : new TreeSet<>(rules.fieldNames())) {
          out.put(key + "." + name, origin(rules.getValue(name), wasRules.getValue(name)));
        }
      } else {
        out.put(key, origin(value, was));
      }
    }
    return out;
  }

  private static String origin(Object value, Object base) {
    return java.util.Objects.equals(value, base) ? PolicyVersion.Origin.FILE.wireName() : PolicyVersion.Origin.API.wireName();
  }

  private void put(RoutingContext rc) {
    JsonObject request = body(rc, CHANGE_KEYS);
    if (request == null) return;
    Object policy = request.getValue("policy");
    if (!(policy instanceof JsonObject document)) {
      refuse(rc, "the body needs policy: a whole policy document, as the configuration's policy section",
          new JsonArray().add(error("/policy", "policy", "must be an object (the configuration's policy section)")));
      return;
    }
    String comment = comment(rc, request);
    if (comment == null) return;
    JsonObject normalised;
    try {
      normalised = PolicyJson.write(PolicyDocument.check(document));
    } catch (ConfigException e) {
      JsonArray errors = new JsonArray();
      e.problems().forEach(p -> errors.add(settingError(p)));
      refuse(rc, "the policy is refused (" + e.problems().size() + " problem(s)); nothing was applied", errors);
      return;
    }
    String by = caller(rc);
    answer(rc, 200, () -> made(versions.change(normalised, by, comment)));
  }

  private void rollback(RoutingContext rc) {
    JsonObject request = body(rc, ROLLBACK_KEYS);
    if (request == null) return;
    Object version = request.getValue("version");
    if (!(version instanceof Integer || version instanceof Long) || ((Number) version).longValue() < PolicyVersions.BASE_VERSION
        || ((Number) version).longValue() > Integer.MAX_VALUE) {
      refuse(rc, "the body needs version: the number of the version to restore",
          new JsonArray().add(error("/version", "version", "must be a whole JSON number, at least 1 (as {\"version\": 2}), got "
              + (version instanceof String text ? "the string \"" + text + "\"" : version == null ? "none" : String.valueOf(version)))));
      return;
    }
    String comment = comment(rc, request);
    if (comment == null) return;
    int n = ((Number) version).intValue();
    String by = caller(rc);
    vertx.executeBlocking(() -> versions.rollback(n, by, comment), false).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
      } else if (ar.result() == null) {
        Problems.answer(rc.response(), 404, "there is no policy version " + n, null);
      } else {
        json(rc, 200, made(ar.result()));
      }
    });
  }

  private JsonObject made(PolicyVersion v) {
    return new JsonObject().put("version", v.version()).put("changedAt", v.changedAt().toString())
        .put("changedBy", v.changedBy()).put("comment", v.comment())
        .put("diff", PolicyVersions.diff(versions.before(v).document(), v.document()));
  }

  /** The request's JSON object with only {@code allowed} keys, or null once a problem has been answered. */
  private static JsonObject body(RoutingContext rc, Set<String> allowed) {
    JsonObject request = JsonBody.object(rc);
    if (request == null) {
      refuse(rc, "the body must be a JSON object", new JsonArray().add(error("", "", "not a JSON object, or a key repeated in one object")));
      return null;
    }
    JsonArray unknown = new JsonArray();
    for (String key : new TreeSet<>(request.fieldNames())) {
      if (!allowed.contains(key)) unknown.add(error("/" + key, key, "unknown field; the body takes " + new TreeSet<>(allowed)));
    }
    if (!unknown.isEmpty()) {
      refuse(rc, "the body has unknown fields; nothing was applied", unknown);
      return null;
    }
    return request;
  }

  /** The comment ("" when absent), or null once a problem has been answered. */
  private static String comment(RoutingContext rc, JsonObject request) {
    Object c = request.getValue("comment");
    if (c == null) return "";
    if (c instanceof String s && s.length() <= MAX_COMMENT) return s;
    String problem = "must be a string of at most " + MAX_COMMENT + " characters";
    refuse(rc, "comment " + problem, new JsonArray().add(error("/comment", "comment", problem)));
    return null;
  }

  private static String caller(RoutingContext rc) {
    Principal p = rc.get(HttpGuard.PRINCIPAL);
    return p == null ? Principal.ANONYMOUS.name() : p.name();
  }

  /** A problem of the configuration's form ({@code policy.codes.8F3E.stormThreshold: must be ...}) as an error. */
  public static JsonObject settingError(String problem) {
    int colon = problem.indexOf(": ");
    String setting = colon > 0 ? problem.substring(0, colon) : "policy";
    String detail = colon > 0 ? problem.substring(colon + 2) : problem;
    // A JSON Pointer (RFC 6901): an array's element is a step of its own, "dmcs[0]" is "dmcs/0".
    String pointer = ("/" + setting.replace("~", "~0").replace("/", "~1").replace('.', '/')).replaceAll("\\[(\\d+)]", "/$1");
    return error(pointer, setting, detail);
  }

  private static JsonObject error(String pointer, String field, String detail) {
    return new JsonObject().put("pointer", pointer).put("field", field).put("detail", detail);
  }

  private static void refuse(RoutingContext rc, String detail, JsonArray errors) {
    Problems.answer(rc.response(), 400, detail, new JsonObject().put("errors", errors));
  }

  private void answer(RoutingContext rc, int status, Callable<JsonObject> work) {
    Future<JsonObject> done = vertx.executeBlocking(work, false);
    done.onSuccess(body -> json(rc, status, body)).onFailure(rc::fail);
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }
}
