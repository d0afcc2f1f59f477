package org.csp.edge.inventory;

import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.csp.edge.ops.Problems;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/inventory} (a CSV export, admin only: {@link HttpGuard}) and {@code GET /v1/inventory} (what is in
 * force). The upload is streamed to a file in the data directory as it arrives, never held in memory, and refused
 * (413) once past {@code inventory.maxUploadMiB}; the file is read on a worker thread.
 */
public final class InventoryRoutes {
  public static final String PATH = "/v1/inventory";
  private static final Set<String> TYPES = Set.of("text/csv", "text/plain", "application/octet-stream");
  private static final Logger log = LoggerFactory.getLogger(InventoryRoutes.class);

  private final Inventory inventory;

  public InventoryRoutes(Inventory inventory) {
    this.inventory = inventory;
  }

  public void mount(Router router) {
    router.get(PATH).handler(rc -> json(rc, 200, inventory.summary()));
    router.post(PATH).handler(this::upload);
  }

  private void upload(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    request.pause(); // nothing is read before the file is open
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    String mediaType = type == null ? "text/csv" : type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!TYPES.contains(mediaType)) {
      refuse(rc, 415, "send the inventory as text/csv (got " + mediaType + ")");
      return;
    }
    long limit = inventory.maxUploadBytes();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19 && Long.parseLong(length) > limit) {
      refuse(rc, 413, tooLarge(limit));
      return;
    }
    String by = author(rc);
    rc.vertx().<Path>executeBlocking(inventory::uploadFile, false)
        .compose(path -> rc.vertx().fileSystem().open(path.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
            .compose(file -> receive(request, file, limit).eventually(() -> file.close()))
            .transform(ar -> {
              if (ar.succeeded()) return Future.succeededFuture(path);
              return rc.vertx().executeBlocking(() -> Files.deleteIfExists(path), false)
                  .transform(x -> Future.<Path>failedFuture(ar.cause()));
            }))
        .compose(path -> inventory.importCsv(path, by))
        .onSuccess(answer -> json(rc, 200, answer))
        .onFailure(e -> {
          if (e instanceof Inventory.Refused r) {
            refuse(rc, r.status(), r.getMessage(), r.details());
          } else if (e instanceof UploadTooLarge) {
            refuse(rc, 413, tooLarge(limit));
          } else {
            log.error("inventory import failed", e);
            if (!rc.response().ended()) rc.fail(e);
          }
        });
  }

  /** Streams the body into {@code file}, pausing the upload while the disk lags; fails past {@code limit} bytes. */
  private static Future<Void> receive(HttpServerRequest request, AsyncFile file, long limit) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long[] received = {0};
    request.handler(chunk -> {
      if (done.future().isComplete()) return;
      received[0] += chunk.length();
      if (received[0] > limit) {
        done.tryFail(new UploadTooLarge());
        return;
      }
      file.write(chunk);
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    });
    request.endHandler(v -> done.tryComplete());
    request.exceptionHandler(done::tryFail);
    file.exceptionHandler(done::tryFail);
    request.resume();
    return done.future().compose(v -> file.flush());
  }

  private static final class UploadTooLarge extends RuntimeException {
    UploadTooLarge() {
      super("upload too large", null, false, false);
    }
  }

  private static String tooLarge(long limit) {
    return "the inventory is larger than inventory.maxUploadMiB (" + (limit >> 20) + " MiB); nothing was changed";
  }

  private static void refuse(RoutingContext rc, int status, String detail) {
    refuse(rc, status, detail, null);
  }

  /** A problem; the refused lines, if any, as its errors. The connection closes when the body was not read whole. */
  private static void refuse(RoutingContext rc, int status, String detail, JsonObject details) {
    if (rc.response().ended()) return;
    JsonObject extra = details == null ? null : details.copy();
    if (extra != null && extra.getJsonArray("refusedRows") != null) {
      JsonArray errors = new JsonArray();
      for (Object o : extra.getJsonArray("refusedRows")) {
        JsonObject row = (JsonObject) o;
        errors.add(new JsonObject().put("field", "line " + row.getLong("line")).put("detail", row.getString("reason")));
      }
      extra.put("errors", errors);
    }
    if (!rc.request().isEnded()) rc.response().putHeader(HttpHeaders.CONNECTION, "close");
    Problems.answer(rc.response(), status, detail, extra);
  }

  private static String author(RoutingContext rc) {
    Principal p = rc.get(HttpGuard.PRINCIPAL);
    return p == null ? Principal.ANONYMOUS.name() : p.name();
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }
}
