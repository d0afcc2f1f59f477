package org.csp.edge.ops;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Kubernetes probes. Started: the node has joined and opened its intakes. Live: every event loop ticked recently
 * (a blocked loop is what a restart cures). Ready: started, the cluster is safe (no partition without its backup,
 * no migration under way) and the node can take alerts (upstream connected, or room in the outbox).
 */
public final class Health {
  private final Vertx vertx;
  private final EventLoopProbe.Readings loops;
  private final Duration blockedAfter;
  private final HazelcastInstance hazelcast;
  private final NodeStatus status;
  private final BooleanSupplier started;

  public Health(Vertx vertx, EventLoopProbe.Readings loops, Duration blockedAfter, HazelcastInstance hazelcast,
      NodeStatus status, BooleanSupplier started) {
    this.vertx = vertx;
    this.loops = loops;
    this.blockedAfter = blockedAfter;
    this.hazelcast = hazelcast;
    this.status = status;
    this.started = started;
  }

  public void mount(Router router) {
    router.get("/health/started").handler(rc -> answer(rc, started.getAsBoolean(), new JsonObject()));
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
  }

  private void live(RoutingContext rc) {
    Duration stalest = loops.stalest();
    answer(rc, stalest.compareTo(blockedAfter) < 0, new JsonObject()
        .put("stalestEventLoopSeconds", stalest.toMillis() / 1000.0)
        .put("worstEventLoopDelaySeconds", loops.peekWorstDelaySeconds()));
  }

  private void ready(RoutingContext rc) {
    boolean running = hazelcast.getLifecycleService().isRunning();
    // isClusterSafe() asks the other members: never on an event loop.
    Future<Boolean> safe = running
        ? vertx.executeBlocking(() -> hazelcast.getPartitionService().isClusterSafe())
        : Future.succeededFuture(false);
    safe.otherwise(false).onSuccess(clusterSafe -> {
      boolean canTake = status.upstreamConnected() || !status.backPressure();
      answer(rc, started.getAsBoolean() && clusterSafe && canTake, new JsonObject()
          .put("started", started.getAsBoolean())
          .put("clusterMembers", running ? hazelcast.getCluster().getMembers().size() : 0)
          .put("clusterSafe", clusterSafe)
          .put("upstreamConnected", status.upstreamConnected())
          .put("backPressure", status.backPressure()));
    });
  }

  private static void answer(RoutingContext rc, boolean up, JsonObject details) {
    rc.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(details.put("status", up ? "UP" : "DOWN").encode());
  }
}
