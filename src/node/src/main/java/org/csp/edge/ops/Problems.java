package org.csp.edge.ops;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.csp.edge.alert.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer of the HTTP API, in one place: {@code application/problem+json} (RFC 9457) with {@code type},
 * {@code title}, {@code status}, {@code detail} and, where an input was at fault, {@code errors}: each with the
 * reason and a JSON pointer (or header) to what was wrong. Handlers outside this package (the guard, the intake)
 * fail the request with an {@link HttpException} whose payload is the detail, and the router's failure handler
 * answers it here.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  /** Problem types are URNs: they name the problem, they need not be fetched. */
  public static final String TYPE_PREFIX = "urn:csp-edge:problem:";
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private record Kind(String slug, String title) {}

  private static final Map<Integer, Kind> BY_STATUS = Map.ofEntries(
      Map.entry(400, new Kind("malformed-request", "The request body is not what the API takes")),
      Map.entry(401, new Kind("unauthenticated", "Authentication is needed")),
      Map.entry(403, new Kind("forbidden", "The caller may not do this")),
      Map.entry(404, new Kind("not-found", "No such resource")),
      Map.entry(405, new Kind("method-not-allowed", "The resource does not take this method")),
      Map.entry(413, new Kind("too-large", "The request body is larger than the configured limit")),
      Map.entry(414, new Kind("target-too-long", "The request line is longer than the server takes")),
      Map.entry(415, new Kind("unsupported-media-type", "The request body's media type is not taken")),
      Map.entry(422, new Kind("answer-too-large", "The answer would be larger than one answer holds; narrow the request")),
      Map.entry(429, new Kind("rate-limited", "Too many requests on this connection")),
      Map.entry(431, new Kind("headers-too-large", "The request's headers are larger than the server takes")),
      Map.entry(501, new Kind("not-implemented", "The request uses a feature the node does not implement")),
      Map.entry(503, new Kind("unavailable", "The node cannot take this now; send it again later")),
      Map.entry(500, new Kind("defect", "The node failed to answer (it logged why)")));

  private Problems() {}

  /** The problem of that status, with {@code detail}; {@code extra} members (errors, counts) are added to it. */
  public static JsonObject problem(int status, String detail, JsonObject extra) {
    Kind kind = BY_STATUS.getOrDefault(status, new Kind("http-" + status, "HTTP " + status));
    JsonObject p = new JsonObject().put("type", TYPE_PREFIX + kind.slug()).put("title", kind.title())
        .put("status", status).put("detail", detail);
    return extra == null ? p : p.mergeIn(extra);
  }

  public static void answer(HttpServerResponse response, int status, String detail, JsonObject extra) {
    response.setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(problem(status, detail, extra).encode());
  }

  /** An entry of {@code errors}: a rejected input, with a JSON pointer to its field where the reason names one. */
  public static JsonObject error(Rejection r, String pointer) {
    JsonObject e = r.toJson();
    if (pointer != null) e.put("pointer", pointer);
    return e;
  }

  public static JsonArray errors(JsonObject... errors) {
    JsonArray a = new JsonArray();
    for (JsonObject e : errors) a.add(e);
    return a;
  }

  /** Every failure and every unrouted request of {@code router} as a problem: 404, 405, 500, and failed handlers. */
  public static void mount(Router router) {
    router.route().failureHandler(Problems::failed);
    router.errorHandler(404, rc -> answer(rc.response(), 404, "no route for " + rc.normalizedPath(), null));
    router.errorHandler(405, rc -> answer(rc.response(), 405, rc.request().method() + " is not taken on "
        + rc.normalizedPath(), null));
    router.errorHandler(500, Problems::failed);
  }

  private static void failed(RoutingContext rc) {
    if (rc.response().ended() || rc.response().closed()) return;
    Throwable failure = rc.failure();
    int status = failure instanceof HttpException h ? h.getStatusCode() : rc.statusCode() >= 400 ? rc.statusCode() : 500;
    String detail = failure instanceof HttpException h && h.getPayload() != null ? h.getPayload()
        : status == 500 ? "an unexpected failure; the node logged it" : BY_STATUS.getOrDefault(status, new Kind("", "HTTP " + status)).title();
    if (status == 500) log.error("{} {} failed", rc.request().method(), rc.normalizedPath(), failure);
    answer(rc.response(), status, detail, null);
  }
}
