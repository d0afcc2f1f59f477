package org.csp.edge.cluster;

import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.decision.AlertPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The owner's queue of batch tasks (csp-hub-batches) is bounded by NODE_HUB_BATCH_QUEUE (Hazelcast's default is
 * unbounded): a flood of head-end messages whose hubs another member owns is refused past it, each refused batch
 * counted once, its alerts failed (the node counts them unavailable and withholds the acknowledgement), and every
 * other alert decided. Two members on loopback, from cluster-config/local.xml.
 */
class OwnerBatchQueueTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final int MESSAGES = 400;
  private static final int HUBS_PER_MESSAGE = 20;

  private BareCluster cluster;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) cluster.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFloodOfBatchesPastTheOwnersQueueIsRefusedAndCounted() throws Exception {
    cluster = BareCluster.start("csp-batch-queue", 2, Map.of("NODE_HUB_BATCH_QUEUE", "1"), Map.of());
    vertx = Vertx.vertx();
    HazelcastInstance caller = cluster.members().get(0);
    HubStateStore store = new HubStateStore(caller);
    Context context = vertx.getOrCreateContext();

    CompletableFuture<List<Future<?>>> sent = new CompletableFuture<>();
    context.runOnContext(v -> { // as the intakes call it: from an event loop, without waiting in between
      List<Future<?>> all = new ArrayList<>();
      for (int m = 0; m < MESSAGES; m++) {
        all.addAll(store.apply(message(m), NOW, AlertPolicy.DEFAULTS, context).values());
      }
      sent.complete(all);
    });
    List<Future<?>> hubs = sent.get(30, TimeUnit.SECONDS);
    Future.join(new ArrayList<>(hubs)).otherwiseEmpty().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);

    int refused = 0;
    for (Future<?> hub : hubs) {
      assertTrue(hub.isComplete());
      if (hub.failed()) {
        assertTrue(rejected(hub.cause()), "only refusals of the full queue fail: " + hub.cause());
        refused++;
      }
    }
    assertTrue(store.batchesRefused() > 0, "the owner refused batches past its queue of 1");
    assertTrue(store.batchesRefused() < MESSAGES, "and decided the others");
    assertTrue(refused >= store.batchesRefused() * 2, "each refused batch fails its hubs (several per batch): " + refused);
    assertEquals(0, store.batchesQueued(), "nothing left waiting in this member's queue");
  }

  /** Twenty hubs, one alert each: about half of them owned by the other member, so one batch task per message. */
  private static Map<String, List<Alert>> message(int m) {
    Map<String, List<Alert>> byHub = new LinkedHashMap<>();
    for (int h = 0; h < HUBS_PER_MESSAGE; h++) {
      String hub = String.format("00-1B-C5-0C-00-%02X-%02X-%02X", m / 256, m % 256, h);
      byHub.put(hub, List.of(alert(hub, hub.substring(0, hub.length() - 2) + "FF", "8F1" + (h % 10), m, NOW)));
    }
    return byHub;
  }

  private static boolean rejected(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RejectedExecutionException) return true;
    }
    return false;
  }
}
