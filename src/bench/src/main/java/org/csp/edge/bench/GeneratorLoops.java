package org.csp.edge.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The load generator's own Vert.x, apart from the node's: its event loops carry the publishers and the subscriber, and
 * their threads are known, so that their CPU can be told apart from the node's. One loop per core, as the node has:
 * neither side gets more threads than the machine can run.
 */
final class GeneratorLoops implements AutoCloseable {
  private final Vertx vertx;
  private final List<Context> contexts;
  private final List<Long> threadIds = new ArrayList<>();
  private final Set<Integer> kernelThreadIds = new HashSet<>();
  private final PacingTicker ticker = new PacingTicker();

  private GeneratorLoops(Vertx vertx, List<Context> contexts) {
    this.vertx = vertx;
    this.contexts = List.copyOf(contexts);
    for (Context c : contexts) {
      threadIds.add(Blocking.onContext(c, () -> Thread.currentThread().getId()));
      kernelThreadIds.add(Blocking.onContext(c, ThreadTimes::currentThreadId));
    }
    threadIds.add(ticker.threadId());
    kernelThreadIds.add(ticker.kernelThreadId());
  }

  static GeneratorLoops start() {
    int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    // One context per event loop: deploying N instances of a verticle is the public way to get them.
    List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
    Blocking.await(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(loops)), Duration.ofSeconds(10));
    return new GeneratorLoops(vertx, contexts);
  }

  Vertx vertx() {
    return vertx;
  }

  /** Publisher connections are spread over every loop. */
  List<Context> publisherContexts() {
    return contexts;
  }

  Context subscriberContext() {
    return contexts.get(contexts.size() - 1);
  }

  /** The publishers' pacing clock. */
  PacingTicker ticker() {
    return ticker;
  }

  /** The generator's threads: its event loops and its pacing clock. */
  List<Long> threadIds() {
    return List.copyOf(threadIds);
  }

  /** The same threads by their kernel ids, to leave them out of {@link ThreadTimes}. */
  Set<Integer> kernelThreadIds() {
    return Set.copyOf(kernelThreadIds);
  }

  @Override
  public void close() {
    ticker.close();
    Blocking.await(vertx.close(), Duration.ofSeconds(10));
  }
}
