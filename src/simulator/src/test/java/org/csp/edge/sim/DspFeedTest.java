package org.csp.edge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test and simulator's view of the DSP feed: it is subscribed once start() completes, whatever the broker did. */
class DspFeedTest {

  @Test
  void aConnectionClosedBeforeItsSubackIsRetriedAndStartCompletes() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicInteger connections = new AtomicInteger();
    // A real MQTT server that closes the first connection on its SUBSCRIBE, as Moquette was seen to right after it
    // started, and serves the next one.
    MqttServer broker = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
    broker.endpointHandler(endpoint -> {
      int n = connections.incrementAndGet();
      endpoint.subscribeHandler(subscribe -> {
        if (n == 1) endpoint.close();
        else endpoint.subscribeAcknowledge(subscribe.messageId(), List.of(MqttQoS.AT_LEAST_ONCE));
      });
      endpoint.accept(false);
    });
    try {
      int port = broker.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
      try (DspFeed feed = new DspFeed(vertx, "127.0.0.1", port, "dsp/#")) {
        feed.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(2, connections.get(), "one connection closed before its SUBACK, then one subscribed");
      }
    } finally {
      broker.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
