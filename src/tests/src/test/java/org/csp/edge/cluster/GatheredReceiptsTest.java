package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csp.edge.decision.AlertPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's receipts gathered for the hubs are bounded by node.maxGatheredReceipts, also while they cannot be
 * handed back (the hub map unavailable): at the bound the batch is asked for at once, past it a receipt is dropped
 * and counted (its event is sent again later, with the same id), and a failed batch is kept within the bound. A real
 * Hazelcast member, configured as a single node runs it.
 */
class GatheredReceiptsTest {
  private static final int MAX = 5;

  private Vertx vertx;
  private HazelcastInstance member;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    member = Hazelcast.newHazelcastInstance(ClusterConfigs.memberConfig("cluster-config/single.xml", Map.of()));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (member.getLifecycleService().isRunning()) member.shutdown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void receiptsPastTheBoundAreDroppedAndCountedAndAFailedBatchIsKeptWithinIt() throws Exception {
    DeliveryReceipts receipts = new DeliveryReceipts(new HubStateStore(member), MAX);
    AtomicInteger flushAsked = new AtomicInteger();
    receipts.whenFull(flushAsked::incrementAndGet);
    Context context = vertx.getOrCreateContext();

    deliver(receipts, "a", MAX);
    assertEquals(MAX, receipts.events());
    assertEquals(1, flushAsked.get(), "at the bound the batch is asked for at once, once");
    deliver(receipts, "b", 2);
    assertEquals(MAX, receipts.events(), "never more than the bound");
    assertEquals(2, receipts.dropped(), "past it dropped, and counted");

    await(receipts.flush(AlertPolicy.DEFAULTS, context));
    assertEquals(0, receipts.events(), "handed back");
    deliver(receipts, "c", 4);
    assertEquals(1, flushAsked.get(), "below the bound no early batch");

    member.shutdown(); // the hub map is gone: every batch fails from now on
    Future<Void> failed = receipts.flush(AlertPolicy.DEFAULTS, context);
    await(failed.otherwiseEmpty());
    assertTrue(failed.failed(), "the batch could not be handed back");
    assertEquals(4, receipts.events(), "a failed batch is kept for the next one");
    deliver(receipts, "d", 3);
    assertEquals(MAX, receipts.events(), "still within the bound while batches fail");
    assertEquals(2 + 2, receipts.dropped());
  }

  private static void deliver(DeliveryReceipts receipts, String hub, int events) {
    for (int i = 0; i < events; i++) receipts.delivered("00-1B-C5-0C-00-04-00-0" + hub.length(), hub + "-event-" + i);
  }

  private static void await(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
