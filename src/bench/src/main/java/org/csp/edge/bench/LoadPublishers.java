package org.csp.edge.bench;

import io.vertx.core.Future;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The hubs and head-ends of a run: several QoS 1 connections, spread over the load generator's event loops and over
 * the MQTT ports given (a cluster's members, connection i to port i mod n, as a load balancer would), sharing the
 * offered rate equally.
 */
final class LoadPublishers implements AutoCloseable {
  private final List<PublisherConnection> connections = new ArrayList<>();

  LoadPublishers(GeneratorLoops loops, String host, List<Integer> ports, String topicPrefix, int count, int window) {
    List<Context> contexts = loops.publisherContexts();
    for (int i = 0; i < count; i++) {
      connections.add(new PublisherConnection(loops.vertx(), contexts.get(i % contexts.size()), loops.ticker(), host, ports.get(i % ports.size()),
          topicPrefix, window));
    }
  }

  LoadPublishers connect() {
    for (PublisherConnection c : connections) {
      Future<Void> connected = Blocking.onContext(c.context(), c::connect);
      Blocking.await(connected, Duration.ofSeconds(10));
    }
    return this;
  }

  void begin(List<StreamShare> shares) {
    for (PublisherConnection c : connections) {
      Blocking.onContext(c.context(), () -> {
        c.begin(shares, connections.size());
        return null;
      });
    }
  }

  StepSend end() {
    StepSend total = new StepSend(0, 0, 0, 0);
    for (PublisherConnection c : connections) total = total.plus(Blocking.onContext(c.context(), c::end));
    return total;
  }

  int inFlight() {
    int n = 0;
    for (PublisherConnection c : connections) n += Blocking.onContext(c.context(), c::inFlight);
    return n;
  }

  LatencySamples takeLatencies() {
    LatencySamples all = new LatencySamples();
    for (PublisherConnection c : connections) all.addAll(Blocking.onContext(c.context(), c::takeLatencies));
    return all;
  }

  PublisherTotals totals() {
    PublisherTotals total = new PublisherTotals(0, 0, 0, 0, 0, null);
    for (PublisherConnection c : connections) total = total.plus(Blocking.onContext(c.context(), c::totals));
    return total;
  }

  @Override
  public void close() {
    for (PublisherConnection c : connections) {
      try {
        Blocking.await(Blocking.onContext(c.context(), c::disconnect), Duration.ofSeconds(5));
      } catch (BenchException e) {
        // Already gone: nothing left to release.
      }
    }
  }
}
