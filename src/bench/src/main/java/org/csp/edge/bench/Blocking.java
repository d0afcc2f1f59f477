package org.csp.edge.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark is driven from one ordinary thread that waits; the publishers and subscribers live on event loops.
 * These helpers are the only bridge: run something on a connection's own context (so its state needs no locks) and
 * wait for the answer.
 */
final class Blocking {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private Blocking() {}

  static <T> T onContext(Context context, Callable<T> task) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        answer.complete(task.call());
      } catch (Throwable e) {
        answer.completeExceptionally(e);
      }
    });
    return get(answer, CALL_TIMEOUT);
  }

  static <T> T await(Future<T> future, Duration timeout) {
    return get(future.toCompletionStage().toCompletableFuture(), timeout);
  }

  private static <T> T get(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    } catch (ExecutionException e) {
      throw new BenchException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new BenchException("no answer within " + timeout.toSeconds() + " s", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    }
  }
}
