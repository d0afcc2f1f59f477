package org.csp.edge.register;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The register is computed again at every call once the last computation has ended, however quickly it ended: one
 * that had ended before its end was handled (the store's worker is that quick under light load) was kept as the one
 * running, and the register was never computed again until a restart.
 */
class RegisterRecomputeTest {

  @Test
  void aComputationThatEndedAtOnceDoesNotStopTheNext() {
    AtomicInteger computed = new AtomicInteger();
    RegisterRecompute recompute = new RegisterRecompute(
        work -> Future.succeededFuture(new RegisterSnapshot(computed.incrementAndGet(), 0, 0, List.of())),
        null, null, null, Duration.ofHours(24), Duration.ofSeconds(1), () -> 0L);
    for (int i = 1; i <= 3; i++) {
      assertEquals(i, recompute.recompute().result().computedAt(), "computation " + i + " ran");
    }
  }

  @Test
  void aCallWhileOneRunsGetsItsResultAndTheNextAfterItRunsAgain() {
    AtomicInteger computed = new AtomicInteger();
    Promise<RegisterSnapshot> slow = Promise.promise();
    RegisterRecompute recompute = new RegisterRecompute(work -> {
      computed.incrementAndGet();
      return slow.future();
    }, null, null, null, Duration.ofHours(24), Duration.ofSeconds(1), () -> 0L);
    Future<RegisterSnapshot> first = recompute.recompute();
    assertEquals(first, recompute.recompute(), "joined, not started again");
    assertEquals(1, computed.get());
    slow.complete(new RegisterSnapshot(1, 0, 0, List.of()));
    recompute.recompute();
    assertEquals(2, computed.get(), "started again once it ended");
  }
}
