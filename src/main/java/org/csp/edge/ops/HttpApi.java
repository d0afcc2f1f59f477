package org.csp.edge.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.csp.edge.consolidation.AlertPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of the node: the alert intake (mounted by the caller), status, policy and health. */
public final class HttpApi extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final String host;
  private final int port;
  private final NodeStatus status;
  private final Supplier<AlertPolicy> policy;
  private final Consumer<Router> intake;
  private HttpServer server;

  public HttpApi(String host, int port, NodeStatus status, Supplier<AlertPolicy> policy, Consumer<Router> intake) {
    this.host = host;
    this.port = port;
    this.status = status;
    this.policy = policy;
    this.intake = intake;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    intake.accept(router);
    router.get("/v1/status").handler(rc -> json(rc.response(), 200, status.toJson()));
    router.get("/v1/policy").handler(rc -> json(rc.response(), 200, policy.get().toJson()));
    router.get("/health/live").handler(rc -> json(rc.response(), 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(rc -> {
      boolean ready = status.upstreamConnected() || !status.toJson().getBoolean("backPressure");
      json(rc.response(), ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN")
          .put("upstreamConnected", status.upstreamConnected()));
    });
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(port, host)
        .onSuccess(s -> log.info("HTTP API on http://{}:{} (POST /v1/alerts, GET /v1/status, GET /v1/policy)", host, s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private static void json(io.vertx.core.http.HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }
}
