package org.csp.edge.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A Vert.x HTTP client for tests whose every call runs on one context. Called from a test's thread, Vert.x 5.0.8
 * gives each request a context of its own, while a pooled connection keeps the context that opened it; the response
 * then reaches the caller on another thread than its connection's, and a {@code body()} asked there can miss the
 * response's end and never complete (eclipse-vertx/vert.x#6038, fixed after 5.0.8): about one request in a thousand
 * here, seen in CI as answers that never came. On one context, connections and callbacks share one thread.
 */
public final class OneContextHttpClient {
  private final Context context;
  private final HttpClient client;

  public OneContextHttpClient(Vertx vertx) {
    this(vertx, new HttpClientOptions(), new PoolOptions());
  }

  public OneContextHttpClient(Vertx vertx, HttpClientOptions options) {
    this(vertx, options, new PoolOptions());
  }

  public OneContextHttpClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(options, pool);
  }

  /** Runs {@code call} on the client's context; its outcome, for a test's thread to wait on. */
  public <T> CompletableFuture<T> call(Function<HttpClient, Future<T>> call) {
    CompletableFuture<T> outcome = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<T> f;
      try {
        f = call.apply(client);
      } catch (RuntimeException e) {
        outcome.completeExceptionally(e);
        return;
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) outcome.complete(ar.result());
        else outcome.completeExceptionally(ar.cause());
      });
    });
    return outcome;
  }

  public Future<Void> close() {
    return client.close();
  }
}
