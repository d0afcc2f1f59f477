package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes' decisions, against a real Hazelcast member: not ready until started, and not while it cannot take alerts. */
class HealthTest {
  private static final Duration BLOCKED_AFTER = Duration.ofMillis(1000);
  private Vertx vertx;
  /** Held in a field: Vert.x closes an HttpClient (and its connections) once it is no longer referenced. */
  private io.vertx.core.http.HttpClient http;
  private HazelcastInstance hazelcast;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean upstreamConnected = new AtomicBoolean();
  private final AtomicBoolean journalWriting = new AtomicBoolean(true);
  private final Outbox outbox = new Outbox(2, 0);
  private final EventLoopProbe.Readings loops = new EventLoopProbe.Readings(java.time.Duration.ofMinutes(1));
  private int port;

  @BeforeEach
  void start() throws Exception {
    Config config = new Config().setClusterName("health-test-" + System.nanoTime());
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    hazelcast = Hazelcast.newHazelcastInstance(config);
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    NodeStatus status = new NodeStatus(ConfigLoader.load(null, Map.of("NODE_ID", "h1")), new NodeStats(), outbox,
        new OwnedHubs(), () -> 0, upstreamConnected::get, "tcp://nowhere:1883");
    Router router = Router.router(vertx);
    new Health(vertx, loops, BLOCKED_AFTER, hazelcast, status, started::get, journalWriting::get).mount(router);
    port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    hazelcast.shutdown();
  }

  private int status(String path) throws Exception {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(r -> r.send()).map(r -> r.statusCode()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void notReadyUntilStartedThenNotReadyWhileItCannotTakeAlerts() throws Exception {
    assertEquals(503, status("/health/started"));
    assertEquals(503, status("/health/ready"), "not ready before the node has started");
    started.set(true);
    assertEquals(200, status("/health/started"));
    assertEquals(200, status("/health/ready"), "started, cluster safe, room in the outbox");

    EventFactory events = new EventFactory("north", "h1", "dsp/north/", System::currentTimeMillis);
    outbox.offer(events.regional(new org.csp.edge.decision.RegionalEvent.Started("8F12", 0, 1, 1, 1000)));
    outbox.offer(events.regional(new org.csp.edge.decision.RegionalEvent.Started("8F13", 0, 1, 1, 1000)));
    assertTrue(outbox.congested());
    assertEquals(503, status("/health/ready"), "outbox full and no upstream: it cannot take alerts");
    upstreamConnected.set(true);
    assertEquals(200, status("/health/ready"), "upstream back: it drains, so it can take alerts");
  }

  @Test
  void notReadyOnceItsJournalFailedToWrite() throws Exception {
    started.set(true);
    assertEquals(200, status("/health/ready"));
    journalWriting.set(false); // it acknowledges nothing until restarted: traffic belongs to other members
    assertEquals(503, status("/health/ready"));
    assertEquals(200, status("/health/live"), "not a reason to restart it for the probe: an operator looks at the disk first");
  }

  @Test
  void livenessFailsWhileAnEventLoopIsBlocked() throws Exception {
    // The probe runs on a Vert.x of its own with a single event loop, so the test can block that loop while the
    // HTTP side keeps answering.
    Vertx probed = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
        .setBlockedThreadCheckInterval(60_000));
    try {
      probed.deployVerticle(new EventLoopProbe(Duration.ofMillis(50), loops))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Thread.sleep(300);
      assertEquals(200, status("/health/live"));
      probed.runOnContext(v -> sleep(3000)); // a handler that blocks its event loop
      Thread.sleep(BLOCKED_AFTER.toMillis() + 500);
      assertEquals(503, status("/health/live"), "a blocked event loop fails liveness");
      org.csp.edge.support.Await.until(() -> {
        try {
          return status("/health/live") == 200;
        } catch (Exception e) {
          return false;
        }
      }, Duration.ofSeconds(10), () -> "liveness did not recover once the loop was free");
    } finally {
      probed.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
