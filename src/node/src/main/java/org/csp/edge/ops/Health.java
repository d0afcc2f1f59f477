package org.csp.edge.ops;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.csp.edge.cluster.Quorum;

/**
 * Kubernetes probes. Started: the node has joined and opened its intakes. Live: every event loop ticked recently
 * (a blocked loop is what a restart cures). Ready: started, the node can take alerts (upstream connected, or room
 * in the outbox), its side of the cluster has the quorum (cluster.Quorum; always without one), its journal writes
 * (after a failed write it acknowledges nothing until restarted, so traffic belongs elsewhere), and, until it has
 * first been ready, the cluster is safe (its partitions have migrated in).
 * Cluster safety is asked only before the first ready: it is cluster-wide, so during the migrations of a scale-out
 * every member would otherwise turn unready at once and the MQTT load balancer would have nowhere to send.
 */
public final class Health {
  private final Vertx vertx;
  private final EventLoopProbe.Readings loops;
  private final Duration blockedAfter;
  private final HazelcastInstance hazelcast;
  private final Quorum quorum;
  private final NodeStatus status;
  private final BooleanSupplier started;
  private final BooleanSupplier journalWriting;
  private volatile boolean beenReady;

  public Health(Vertx vertx, EventLoopProbe.Readings loops, Duration blockedAfter, HazelcastInstance hazelcast,
      NodeStatus status, BooleanSupplier started, BooleanSupplier journalWriting) {
    this.vertx = vertx;
    this.loops = loops;
    this.blockedAfter = blockedAfter;
    this.hazelcast = hazelcast;
    this.quorum = new Quorum(hazelcast);
    this.status = status;
    this.started = started;
    this.journalWriting = journalWriting;
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
        .put("worstEventLoopDelaySeconds", loops.worstRecentDelaySeconds()));
  }

  private void ready(RoutingContext rc) {
    boolean running = hazelcast.getLifecycleService().isRunning();
    // isClusterSafe() asks the other members: never on an event loop.
    Future<Boolean> safe = !running ? Future.succeededFuture(false)
        : beenReady ? Future.succeededFuture(true)
        : vertx.executeBlocking(() -> hazelcast.getPartitionService().isClusterSafe());
    safe.otherwise(false).onSuccess(clusterSafe -> {
      boolean canTake = status.upstreamConnected() || !status.backPressure();
      // A member whose side of a split has no quorum refuses every alert: traffic belongs to the majority.
      boolean quorumPresent = running && quorum.present();
      boolean writing = journalWriting.getAsBoolean();
      boolean ready = started.getAsBoolean() && clusterSafe && canTake && quorumPresent && writing;
      if (ready) beenReady = true;
      answer(rc, ready, new JsonObject()
          .put("started", started.getAsBoolean())
          .put("clusterMembers", running ? hazelcast.getCluster().getMembers().size() : 0)
          .put("clusterSafe", clusterSafe)
          .put("quorum", quorumPresent)
          .put("journalWriting", writing)
          .put("upstreamConnected", status.upstreamConnected())
          .put("backPressure", status.backPressure()));
    });
  }

  private static void answer(RoutingContext rc, boolean up, JsonObject details) {
    rc.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(details.put("status", up ? "UP" : "DOWN").encode());
  }
}
