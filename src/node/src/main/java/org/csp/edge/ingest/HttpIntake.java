package org.csp.edge.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.alert.Rejection;
import org.csp.edge.upstream.Outbox;

/**
 * {@code POST /v1/alerts}: one alert object, a JSON array, or NDJSON. The answer says how many were accepted and,
 * for each refused input, its index and why. While the outbox is congested the answer is 503 with Retry-After and
 * nothing of the body is taken, so the sender can simply send it again.
 */
public final class HttpIntake {
  private static final String NDJSON = "application/x-ndjson";
  private static final int RETRY_AFTER_SECONDS = 1;

  private final AlertParser parser;
  private final IntakeAccounting accounting;
  private final Outbox outbox;
  private final int maxMessageBytes;

  HttpIntake(AlertParser parser, IntakeAccounting accounting, Outbox outbox, int maxMessageBytes) {
    this.parser = parser;
    this.accounting = accounting;
    this.outbox = outbox;
    this.maxMessageBytes = maxMessageBytes;
  }

  public void mount(Router router) {
    // Two routes, so that a congested node refuses before it reads any body.
    router.post("/v1/alerts").handler(this::refuseWhenCongested);
    router.post("/v1/alerts")
        .handler(BodyHandler.create(false).setBodyLimit(maxMessageBytes).setHandleFileUploads(false))
        .handler(this::take)
        .failureHandler(this::tooLarge);
  }

  private void refuseWhenCongested(RoutingContext rc) {
    if (outbox.congested()) {
      rc.response().setStatusCode(503).putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "back-pressure: the upstream outbox is full; send again later")
              .put("outboxDepth", outbox.depth()).encode());
    } else {
      rc.next();
    }
  }

  private void take(RoutingContext rc) {
    String type = rc.request().getHeader("Content-Type");
    String mediaType = type == null ? "application/json" : type.split(";")[0].trim().toLowerCase();
    byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    ParsedMessage read;
    if (NDJSON.equals(mediaType)) {
      read = parser.parseNdjson(body);
    } else if ("application/json".equals(mediaType) || mediaType.endsWith("+json")) {
      read = parser.parseJson(body, null);
    } else {
      read = ParsedMessage.refusedWhole(RejectReason.UNSUPPORTED_MEDIA_TYPE, "got " + mediaType);
    }
    ParsedMessage parsed = HttpGuard.scope(rc, read);
    accounting.stats().receivedHttp.add(parsed.alerts().size() + parsed.rejections().size());
    Future<Integer> accounted = accounting.take(parsed, rc.vertx().getOrCreateContext());
    accounted.onComplete(ar -> {
      int unavailable = ar.succeeded() ? ar.result() : parsed.alerts().size();
      JsonArray rejections = new JsonArray();
      parsed.rejections().forEach(r -> rejections.add(r.toJson()));
      JsonObject answer = new JsonObject()
          .put("accepted", parsed.alerts().size() - unavailable)
          .put("rejected", parsed.rejections().size())
          .put("rejections", rejections);
      if (unavailable > 0) answer.put("unavailable", unavailable);
      boolean refusedWhole = parsed.alerts().isEmpty() && parsed.rejections().size() == 1
          && parsed.rejections().get(0).reason() == RejectReason.MALFORMED_JSON && !NDJSON.equals(mediaType);
      int status = refusedWhole ? 400
          : parsed.rejections().size() == 1 && parsed.rejections().get(0).reason() == RejectReason.UNSUPPORTED_MEDIA_TYPE ? 415
          : unavailable > 0 && unavailable == parsed.alerts().size() && parsed.rejections().isEmpty() ? 503 : 200;
      rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer.encode());
    });
  }

  private void tooLarge(RoutingContext rc) {
    if (rc.statusCode() == 413) {
      Rejection r = new Rejection(0, RejectReason.MESSAGE_TOO_LARGE, "limit " + maxMessageBytes + " bytes");
      accounting.stats().received.increment();
      accounting.stats().receivedHttp.increment();
      accounting.stats().rejected(RejectReason.MESSAGE_TOO_LARGE);
      rc.response().setStatusCode(413).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("accepted", 0).put("rejected", 1)
              .put("rejections", new JsonArray().add(r.toJson())).encode());
    } else {
      rc.next();
    }
  }
}
