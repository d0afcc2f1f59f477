package org.csp.edge.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.LongSupplier;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.Principal;
import org.csp.edge.silence.SilenceRequest;
import org.csp.edge.silence.SilenceStore;
import org.csp.edge.silence.StoredSilence;

/**
 * {@code /v1/silences}: create (POST), list (GET), expire (DELETE {@code /v1/silences/{id}}). Changes need the admin
 * role ({@link HttpGuard} refuses them otherwise); the author and the expirer are the caller's {@link Principal}.
 * Bad input is answered as {@code application/problem+json} naming each bad field by a JSON pointer.
 */
public final class SilenceRoutes {
  public static final String PATH = "/v1/silences";
  /** A silence is a few hundred bytes; anything much larger is not one. */
  private static final int MAX_BODY = 16 * 1024;

  private final SilenceStore store;
  private final NodeConfig.Silences limits;
  private final LongSupplier clock;

  public SilenceRoutes(SilenceStore store, NodeConfig.Silences limits, LongSupplier clock) {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY).setHandleFileUploads(false))
        .handler(this::create);
    router.get(PATH).handler(this::list);
    router.delete(PATH + "/:id").handler(this::expire);
  }

  private void create(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    if (body == null) {
      Problems.answer(rc.response(), 400, "the body must be a JSON object: {matchers, startsAt, endsAt, comment}", null);
      return;
    }
    long now = clock.getAsLong();
    SilenceRequest.Result read = SilenceRequest.read(body, author(rc), now, limits);
    if (!read.problems().isEmpty()) {
      JsonArray errors = new JsonArray();
      read.problems().forEach(p -> errors.add(new JsonObject().put("pointer", p.pointer()).put("detail", p.detail())));
      Problems.answer(rc.response(), 400, read.problems().size() + " problem(s) in the silence; nothing was created",
          new JsonObject().put("errors", errors));
      return;
    }
    store.create(read.silence()).onComplete(ar -> {
      if (ar.succeeded()) {
        StoredSilence s = ar.result();
        rc.response().putHeader("Location", PATH + "/" + s.id());
        json(rc, 201, SilenceStore.describe(s, now, 0));
      } else if (ar.cause() instanceof SilenceStore.TooMany tooMany) {
        Problems.answer(rc.response(), 409, tooMany.getMessage(), null);
      } else {
        rc.fail(ar.cause());
      }
    });
  }

  private void list(RoutingContext rc) {
    store.list().onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      JsonArray all = new JsonArray();
      ar.result().forEach(all::add);
      json(rc, 200, new JsonObject().put("silences", all));
    });
  }

  private void expire(RoutingContext rc) {
    String id = rc.pathParam("id");
    store.expire(id, author(rc)).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        Problems.answer(rc.response(), 404, "no silence " + id, null);
      } else {
        // As the list shows it: with what it held, cluster-wide.
        StoredSilence expired = ar.result().get();
        store.list().onComplete(listed -> json(rc, 200, listed.succeeded()
            ? listed.result().stream().filter(j -> id.equals(j.getString("id"))).findFirst()
                .orElse(SilenceStore.describe(expired, clock.getAsLong(), 0))
            : SilenceStore.describe(expired, clock.getAsLong(), 0)));
      }
    });
  }

  private static String author(RoutingContext rc) {
    Principal p = rc.get(HttpGuard.PRINCIPAL);
    return p == null ? Principal.ANONYMOUS.name() : p.name();
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }
}
