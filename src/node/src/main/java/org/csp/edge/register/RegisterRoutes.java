package org.csp.edge.register;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.csp.edge.ops.JsonBody;
import org.csp.edge.alert.Dmc;
import org.csp.edge.history.RollupFlusher;
import org.csp.edge.ops.Problems;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.Principal;

/**
 * {@code GET /v1/register/dmcs}: the register as last computed (any member answers for the region: each computes
 * it from the region's stored rollups), with every entry's annotations; {@code POST /v1/register/dmcs/annotations}:
 * an admin's annotation (the admin role: {@link HttpGuard}). The figures are computed, never edited: PUT, PATCH and
 * DELETE on the register are refused.
 */
public final class RegisterRoutes {
  public static final String PATH = "/v1/register/dmcs";
  public static final String ANNOTATIONS = PATH + "/annotations";
  private static final String ALERT_CODE = "[0-9A-Fa-f]{4}";
  /** An annotation is a sentence or a paragraph, a DMC's part a name or a version. */
  private static final int MAX_TEXT = 4000;
  /** Entries an answer lists by default, and at most: confirmed first, then suspected, then none. */
  static final int DEFAULT_ENTRIES = 1000;
  static final int MAX_ENTRIES = 10_000;
  private static final int MAX_NAME = 1000;
  private static final int MAX_BODY = 16 * 1024;

  private final RegisterRecompute recompute;
  private final Annotations annotations;
  private final RollupFlusher flusher;
  private final LongSupplier clock;

  public RegisterRoutes(RegisterRecompute recompute, Annotations annotations, RollupFlusher flusher, LongSupplier clock) {
    this.recompute = recompute;
    this.annotations = annotations;
    this.flusher = flusher;
    this.clock = clock;
  }

  /** The routes when the rollups are off: the register is computed from them. */
  public static void mountOff(Router router) {
    router.get(PATH).handler(RegisterRoutes::off);
    router.post(ANNOTATIONS).handler(RegisterRoutes::off);
    refuseEdits(router);
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::list);
    router.post(ANNOTATIONS).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY).setHandleFileUploads(false))
        .handler(this::annotate);
    refuseEdits(router);
  }

  private static void refuseEdits(Router router) {
    for (String path : List.of(PATH, ANNOTATIONS)) {
      router.put(path).handler(RegisterRoutes::notEditable);
      router.patch(path).handler(RegisterRoutes::notEditable);
      router.delete(path).handler(RegisterRoutes::notEditable);
    }
  }

  private static void notEditable(RoutingContext rc) {
    rc.response().putHeader("Allow", rc.normalizedPath().endsWith("/annotations") ? "POST" : "GET");
    Problems.answer(rc.response(), 405, "the register's figures are computed from the rollups and never edited, and "
        + "annotations are only added: POST " + ANNOTATIONS + " {dmc, alertCode, text}", null);
  }

  private static void off(RoutingContext rc) {
    Problems.answer(rc.response(), 503, "the register is computed from the rollups, which are off on this node"
        + " (rollups.enabled: false)", null);
  }

  private void list(RoutingContext rc) {
    JsonArray errors = new JsonArray();
    String code = one(rc, "alertCode", errors);
    if (code != null && !code.matches(ALERT_CODE)) {
      errors.add(param("alertCode", "must be 4 hex digits such as 8F3E, got '" + code + "'"));
    }
    String statusText = one(rc, "status", errors);
    java.util.Set<Status> statuses = java.util.EnumSet.noneOf(Status.class);
    if (statusText != null) {
      for (String one : statusText.split(",")) {
        Status st = Status.ofWire(one.trim());
        if (st == null) errors.add(param("status", "must be none, suspected or confirmed (or several, comma-separated), got '" + one + "'"));
        else statuses.add(st);
      }
    }
    String limitText = one(rc, "limit", errors);
    int limit = DEFAULT_ENTRIES;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_ENTRIES) errors.add(param("limit", "must be a whole number from 1 to " + MAX_ENTRIES + ", got '" + limitText + "'"));
    }
    if (!errors.isEmpty()) {
      Problems.answer(rc.response(), 400, "the register's parameters are not valid", new JsonObject().put("errors", errors));
      return;
    }
    String wanted = code == null ? null : code.toUpperCase(Locale.ROOT);
    java.util.Set<Status> shown = statuses.isEmpty() ? java.util.EnumSet.allOf(Status.class) : statuses;
    int most = limit;
    // Built and encoded off the event loop: the entries are as many as models and codes the devices sent.
    recompute.current()
        .compose(s -> rc.vertx().executeBlocking(() -> RegisterJson.of(s, recompute.register(), annotations.all(), wanted,
            shown, most).encode(), false))
        .onComplete(ar -> {
          if (rc.response().ended() || rc.response().closed()) return;
          if (ar.failed()) {
            Problems.answer(rc.response(), 503, "the register cannot be computed now: " + ar.cause().getMessage(), null);
          } else {
            rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(ar.result());
          }
        });
  }

  private void annotate(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    if (body == null) {
      Problems.answer(rc.response(), 400, "the body must be a JSON object: {dmc: {manufacturer, model, firmware},"
          + " alertCode, text}", null);
      return;
    }
    JsonArray errors = new JsonArray();
    Dmc dmc = dmc(body, errors);
    String code = body.getValue("alertCode") instanceof String s ? s : null;
    if (code == null || !code.matches(ALERT_CODE)) errors.add(field("/alertCode", "must be 4 hex digits such as 8F3E"));
    String text = body.getValue("text") instanceof String s ? s.strip() : null;
    if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
      errors.add(field("/text", "must be a text of 1 to " + MAX_TEXT + " characters"));
    }
    for (String key : body.fieldNames()) {
      if (!List.of("dmc", "alertCode", "text").contains(key)) errors.add(field("/" + key, "is not a field of an annotation"));
    }
    if (!errors.isEmpty()) {
      Problems.answer(rc.response(), 400, errors.size() + " problem(s) in the annotation; nothing was added",
          new JsonObject().put("errors", errors));
      return;
    }
    Annotation a = new Annotation(UUID.randomUUID().toString(), dmc, code.toUpperCase(Locale.ROOT), clock.getAsLong(),
        author(rc), text);
    Future<Annotation> added = flusher.withStore(store -> annotations.add(store, a));
    added.onComplete(ar -> {
      if (ar.failed()) {
        Problems.answer(rc.response(), 503, "the annotation cannot be stored now: " + ar.cause().getMessage(), null);
      } else {
        rc.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(a.toJson().encode());
      }
    });
  }

  private static Dmc dmc(JsonObject body, JsonArray errors) {
    if (!(body.getValue("dmc") instanceof JsonObject d)) {
      errors.add(field("/dmc", "must be an object {manufacturer, model, firmware} (the unknown DMC is not annotated)"));
      return null;
    }
    String[] parts = new String[3];
    String[] names = {"manufacturer", "model", "firmware"};
    for (int i = 0; i < names.length; i++) {
      Object v = d.getValue(names[i]);
      if (!(v instanceof String s) || s.isBlank() || s.length() > MAX_NAME) {
        errors.add(field("/dmc/" + names[i], "must be a text of 1 to " + MAX_NAME + " characters"));
      } else {
        parts[i] = s;
      }
    }
    return parts[0] == null || parts[1] == null || parts[2] == null ? null : new Dmc(parts[0], parts[1], parts[2]);
  }

  private static String one(RoutingContext rc, String name, JsonArray errors) {
    List<String> v = rc.queryParam(name);
    if (v.isEmpty() || v.get(0).isEmpty()) return null;
    if (v.size() > 1) errors.add(param(name, "give it once"));
    return v.get(0);
  }

  private static JsonObject param(String name, String detail) {
    return new JsonObject().put("parameter", name).put("detail", detail);
  }

  private static JsonObject field(String pointer, String detail) {
    return new JsonObject().put("pointer", pointer).put("detail", detail);
  }

  private static String author(RoutingContext rc) {
    Principal p = rc.get(HttpGuard.PRINCIPAL);
    return p == null ? Principal.ANONYMOUS.name() : p.name();
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
