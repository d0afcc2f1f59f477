package org.csp.edge.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.alert.FailureLog;
import org.csp.edge.alert.ParsedMessage;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.alert.Rejection;
import org.csp.edge.ops.Problems;
import org.csp.edge.upstream.Outbox;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/alerts}: one alert object, a JSON array, or NDJSON. The answer says how many were accepted and,
 * for each refused input, its index and why. While the outbox is congested the answer is 503 with Retry-After and
 * nothing of the body is taken, so the sender can simply send it again. Answers other than 200 are problems
 * (application/problem+json, {@link Problems}) that also carry the counts of a 200 ({@code accepted}, {@code rejected},
 * {@code rejections}), and each rejection says where the input was at fault ({@code pointer}) where it can.
 */
public final class HttpIntake {
  private static final String NDJSON = "application/x-ndjson";
  private static final String CONTENT_ENCODING = "Content-Encoding";
  private static final int RETRY_AFTER_SECONDS = 1;
  /** Set on the routing context once the body is in the counts, so that a failure after that is not counted twice. */
  private static final String COUNTED = "csp.alerts.counted";
  /** Set once the request is this intake's to take: failures before that (other handlers) are not its to answer. */
  private static final String TAKING = "csp.alerts.taking";
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);
  private static final FailureLog failures = new FailureLog(LoggerFactory.getLogger(HttpIntake.class), FAILURE_LOG_INTERVAL);

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
      accounting.stats().httpBackPressured.increment();
      rc.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      Problems.answer(rc.response(), 503, "back-pressure: the upstream outbox is full; nothing was taken, send again later",
          new JsonObject().put("outboxDepth", outbox.depth()));
    } else if (accounting.overloaded()) {
      accounting.stats().httpBackPressured.increment();
      rc.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      Problems.answer(rc.response(), 503, "back-pressure: more alerts wait for their decision than limits.maxUndecidedAlerts;"
          + " nothing was taken, send again later", new JsonObject().put("undecided", accounting.undecided()));
    } else {
      rc.put(TAKING, true);
      rc.next();
    }
  }

  private void take(RoutingContext rc) {
    String type = rc.request().getHeader("Content-Type");
    String mediaType = type == null ? "application/json" : type.split(";")[0].trim().toLowerCase();
    ParsedMessage parsed;
    try {
      parsed = parse(rc, mediaType);
    } catch (RuntimeException e) {
      // The parser refuses a bad element itself; this is a defect past it. The body is still answered, counted once.
      failures.failed("reading a body failed", e);
      parsed = ParsedMessage.refusedWhole(RejectReason.INVALID, e.getClass().getSimpleName());
    }
    ParsedMessage message = HttpGuard.scope(rc, parsed); // a client bound to hubs sends for those only
    rc.put(COUNTED, true);
    accounting.stats().receivedHttp.add(message.count());
    accounting.take(message, rc.vertx().getOrCreateContext(), false).onComplete(ar -> {
      try {
        if (ar.succeeded()) answer(rc, message, mediaType, ar.result());
        else unwritten(rc);
      } catch (RuntimeException e) {
        rc.fail(e); // counted already: the failure handler only answers
      }
    });
  }

  /** The body's content coding when it has one the node does not decode (any but identity), else null. */
  private static String contentCoding(RoutingContext rc) {
    String coding = rc.request().getHeader(CONTENT_ENCODING);
    return coding == null || coding.isBlank() || coding.strip().equalsIgnoreCase("identity") ? null : coding;
  }

  private static String codingRefused(String coding) {
    return CONTENT_ENCODING + " '" + coding + "' is not taken: send the body unencoded";
  }

  private ParsedMessage parse(RoutingContext rc, String mediaType) {
    String coding = contentCoding(rc);
    if (coding != null) {
      // Not decoded (gzip would read as broken JSON, an unknown coding as whatever its bytes are): refused as such.
      return ParsedMessage.refusedWhole(RejectReason.UNSUPPORTED_MEDIA_TYPE, codingRefused(coding));
    }
    byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    if (NDJSON.equals(mediaType)) return parser.parseNdjson(body);
    if ("application/json".equals(mediaType) || mediaType.endsWith("+json")) return parser.parseJson(body, null);
    return ParsedMessage.refusedWhole(RejectReason.UNSUPPORTED_MEDIA_TYPE, "got " + mediaType);
  }

  private void answer(RoutingContext rc, ParsedMessage parsed, String mediaType, int unavailable) {
    JsonArray rejections = new JsonArray();
    boolean array = !NDJSON.equals(mediaType) && startsWithBracket(rc);
    String coding = contentCoding(rc);
    for (Rejection r : parsed.rejections()) {
      JsonObject e = Problems.error(r, pointer(r, array, NDJSON.equals(mediaType)));
      if (r.reason() == RejectReason.UNSUPPORTED_MEDIA_TYPE) e.put("header", coding != null ? CONTENT_ENCODING : "Content-Type");
      rejections.add(e);
    }
    JsonObject answer = new JsonObject()
        .put("accepted", parsed.alerts().size() - unavailable)
        .put("rejected", parsed.rejectedAlerts())
        .put("rejections", rejections);
    if (unavailable > 0) answer.put("unavailable", unavailable);
    boolean refusedWhole = parsed.alerts().isEmpty() && parsed.rejections().size() == 1
        && parsed.rejections().get(0).reason() == RejectReason.MALFORMED_JSON && !NDJSON.equals(mediaType);
    int status = refusedWhole ? 400
        : parsed.rejections().size() == 1 && parsed.rejections().get(0).reason() == RejectReason.UNSUPPORTED_MEDIA_TYPE ? 415
        : unavailable > 0 && unavailable == parsed.alerts().size() && parsed.rejections().isEmpty() ? 503 : 200;
    if (status == 200) {
      rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer.encode());
      return;
    }
    if (status == 503) rc.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    String detail = status == 400 ? "the body is not valid JSON; nothing was taken"
        : status == 415 ? (coding != null ? codingRefused(coding) : "send application/json or application/x-ndjson; got " + mediaType)
        : "the node could not record the alerts (shared state unavailable); send them again";
    answer.put("errors", rejections.copy());
    Problems.answer(rc.response(), status, detail, answer);
  }

  /** Where a rejected input was at fault: a JSON pointer into the body (a line's index for NDJSON), or the header. */
  private static String pointer(Rejection r, boolean array, boolean ndjson) {
    if (r.reason() == RejectReason.UNSUPPORTED_MEDIA_TYPE) return null; // the Content-Type header: see header
    if (r.reason() == RejectReason.MALFORMED_JSON && !ndjson) return "";
    if (r.reason() == RejectReason.MESSAGE_TOO_LARGE || r.reason() == RejectReason.BATCH_TOO_LARGE) return "";
    String alert = array || ndjson ? "/" + r.index() : "";
    String field = switch (r.reason()) {
      case MISSING_FIELD -> r.detail();
      case BAD_HUB_ID, HUB_MISMATCH, HUB_NOT_ALLOWED -> "hubId";
      case BAD_DEVICE_ID -> "deviceId";
      case BAD_DEVICE_TYPE -> "deviceType";
      case BAD_ALERT_CODE -> "alertCode";
      case BAD_ORIGINATOR_COUNTER -> "originatorCounter";
      case BAD_RAISED_AT -> "raisedAt";
      case BAD_DMC -> "dmc";
      case BAD_PAYLOAD, PAYLOAD_TOO_LARGE -> "payload";
      default -> null;
    };
    return field == null || field.isEmpty() ? alert : alert + "/" + field;
  }

  private static boolean startsWithBracket(RoutingContext rc) {
    io.vertx.core.buffer.Buffer body = rc.body().buffer();
    if (body == null) return false;
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b == '[') return true;
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return false;
    }
    return false;
  }

  private void tooLarge(RoutingContext rc) {
    if (rc.statusCode() == 413) {
      Rejection r = new Rejection(0, RejectReason.MESSAGE_TOO_LARGE, "limit " + maxMessageBytes + " bytes");
      accounting.stats().received.increment();
      accounting.stats().receivedHttp.increment();
      accounting.stats().rejected(RejectReason.MESSAGE_TOO_LARGE);
      JsonArray rejections = Problems.errors(Problems.error(r, ""));
      afterJournaled(rc, () -> Problems.answer(rc.response(), 413, "the body is larger than " + maxMessageBytes
          + " bytes; nothing was taken", new JsonObject().put("accepted", 0).put("rejected", 1)
          .put("rejections", rejections).put("errors", rejections.copy())));
    } else {
      refusedUnread(rc);
    }
  }

  /**
   * Any other failure on this route (the body could not be read, or a defect): a JSON answer, never the router's
   * bare 500. A body not yet counted is counted once, as refused, when there is someone to answer; a client that
   * went away mid-body sent no message.
   */
  private void refusedUnread(RoutingContext rc) {
    if (rc.get(TAKING) == null) {
      rc.next();
      return;
    }
    if (rc.failure() != null) failures.failed("POST /v1/alerts failed", rc.failure());
    if (rc.response().ended() || rc.response().closed()) return;
    boolean counting = rc.get(COUNTED) == null;
    if (counting) {
      rc.put(COUNTED, true);
      accounting.stats().received.increment();
      accounting.stats().receivedHttp.increment();
      accounting.stats().rejected(RejectReason.INVALID);
    }
    int status = rc.statusCode() >= 400 ? rc.statusCode() : 500;
    Rejection r = new Rejection(0, RejectReason.INVALID, rc.failure() == null ? "status " + status
        : rc.failure().getClass().getSimpleName());
    JsonArray rejections = Problems.errors(Problems.error(r, ""));
    Runnable answer = () -> Problems.answer(rc.response(), status, status == 500
        ? "the node failed to read the body (it logged why); it was refused" : "the body could not be read; it was refused",
        new JsonObject().put("accepted", 0).put("rejected", 1).put("rejections", rejections).put("errors", rejections.copy()));
    if (counting) afterJournaled(rc, answer);
    else answer.run();
  }

  /** Answers once the counts just changed are journaled (when the journal is on); 503 if they could not be. */
  private void afterJournaled(RoutingContext rc, Runnable answer) {
    accounting.stats().beforeAcknowledge(rc.vertx().getOrCreateContext()).onComplete(ar -> {
      if (rc.response().ended() || rc.response().closed()) return;
      if (ar.succeeded()) answer.run();
      else unwritten(rc);
    });
  }

  /** The journal could not write what the answer would promise: nothing of the body is taken, as if unavailable. */
  private void unwritten(RoutingContext rc) {
    rc.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    Problems.answer(rc.response(), 503, "the node could not record the body (its journal failed; it logged why);"
        + " send it again", new JsonObject().put("accepted", 0));
  }
}
