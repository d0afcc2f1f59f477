package org.csp.edge.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A node that takes everything at once: for testing the simulator's bookkeeping without a network. */
final class FakeTransport implements SimTransport {

  final List<SimMessage> received = new ArrayList<>();

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public Future<Delivery> send(SimMessage message) {
    received.add(message);
    return Future.succeededFuture(Delivery.mqttConfirmed());
  }

  @Override
  public void readyHandler(Runnable handler) {
  }

  @Override
  public int inFlight() {
    return 0;
  }

  @Override
  public String target() {
    return "fake";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  static SimReport runAll(List<SimMessage> messages, ScenarioContext context) {
    Vertx vertx = Vertx.vertx();
    try {
      SimOptions options = SimOptions.builder().transport(context.transport()).quiet(true).build();
      FakeTransport fake = new FakeTransport();
      SimReport report = new StormSimulator(null)
        .run(vertx, options, MessageSource.of(messages), fake, List.of())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (!fake.received.equals(messages)) {
        throw new AssertionError("the fake node did not receive the messages in order");
      }
      return report;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      vertx.close();
    }
  }
}
