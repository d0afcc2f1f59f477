package org.csp.edge.preview;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.TreeSet;
import org.csp.edge.ops.JsonBody;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.PolicyDocument;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.ops.Problems;
import org.csp.edge.policy.PolicyApi;

/**
 * {@code POST /v1/policy/preview} with {@code {"policy": {...}}}: the document is checked as {@code PUT /v1/policy}
 * checks it (a refused one is answered 400 naming each bad field, and nothing is replayed), then
 * {@link PolicyPreview} runs on a worker. A POST, so HttpGuard asks for an admin token: a replay costs seconds of a
 * core.
 */
public final class PreviewApi {
  public static final String PATH = PolicyApi.PATH + "/preview";
  /** As PolicyApi's bound: far above any real policy document. */
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final Vertx vertx;
  private final PolicyPreview preview;

  public PreviewApi(Vertx vertx, PolicyPreview preview) {
    this.vertx = vertx;
    this.preview = preview;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false);
    router.post(PATH).handler(body).handler(this::post);
  }

  private void post(RoutingContext rc) {
    JsonObject request = JsonBody.object(rc);
    if (request == null) {
      refuse(rc, "the body must be a JSON object", error("", "", "not a JSON object, or a key repeated in one object"));
      return;
    }
    JsonArray unknown = new JsonArray();
    for (String key : new TreeSet<>(request.fieldNames())) {
      if (!key.equals("policy")) unknown.add(error("/" + key, key, "unknown field; the body takes [policy]"));
    }
    if (!unknown.isEmpty()) {
      Problems.answer(rc.response(), 400, "the body has unknown fields; nothing was replayed", new JsonObject().put("errors", unknown));
      return;
    }
    if (!(request.getValue("policy") instanceof JsonObject document)) {
      refuse(rc, "the body needs policy: a whole policy document, as the configuration's policy section",
          error("/policy", "policy", "must be an object (the configuration's policy section)"));
      return;
    }
    AlertPolicy proposed;
    try {
      proposed = PolicyDocument.check(document);
    } catch (ConfigException e) {
      JsonArray errors = new JsonArray();
      e.problems().forEach(p -> errors.add(PolicyApi.settingError(p)));
      Problems.answer(rc.response(), 400, "the policy is refused (" + e.problems().size() + " problem(s)); nothing was replayed",
          new JsonObject().put("errors", errors));
      return;
    }
    vertx.executeBlocking(() -> preview.preview(proposed), false).onComplete(ar -> {
      if (ar.succeeded()) {
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(ar.result().encodePrettily());
      } else if (ar.cause() instanceof PolicyReplay.TooLong tooLong) {
        Problems.answer(rc.response(), 503, tooLong.getMessage(), null);
      } else {
        rc.fail(ar.cause());
      }
    });
  }

  private static JsonObject error(String pointer, String field, String detail) {
    return new JsonObject().put("pointer", pointer).put("field", field).put("detail", detail);
  }

  private static void refuse(RoutingContext rc, String detail, JsonObject error) {
    Problems.answer(rc.response(), 400, detail, new JsonObject().put("errors", new JsonArray().add(error)));
  }
}
