package org.csp.edge.sim;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT transport against a vertx-mqtt server standing in for the node: it holds PUBACKs for a while
 * (back-pressure), acknowledges in order as MQTT 3.1.1 requires, and can skip a PUBACK or drop a connection.
 */
class MqttTransportTest {

  private static final int INFLIGHT = 3;

  private Vertx vertx;
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger duplicatesFlagged = new AtomicInteger();
  private final AtomicInteger maxUnacked = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger qos0 = new AtomicInteger();

  /** How the stand-in node behaves. Publish numbers count QoS 1 publishes over all connections, from 1. */
  private record Behaviour(long firstAckDelayMs, long ackDelayMs, int skipAckOf, int dropConnectionAt) {
  }

  private static final class OwedAck {
    final int messageId;
    final boolean skip;
    boolean due;

    OwedAck(int messageId, boolean skip) {
      this.messageId = messageId;
      this.skip = skip;
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close(), 10);
  }

  private int node(Behaviour behaviour) {
    MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0)
      .setMaxMessageSize(4 * 1024 * 1024));
    AtomicInteger publishes = new AtomicInteger();
    server.endpointHandler(endpoint -> {
      connections.incrementAndGet();
      Deque<OwedAck> owed = new ArrayDeque<>();
      endpoint.publishAutoAck(false);
      endpoint.publishHandler(message -> {
        received.add(message.topicName() + " " + message.payload().toString());
        if (message.isDup()) {
          duplicatesFlagged.incrementAndGet();
        }
        if (message.qosLevel() == MqttQoS.AT_MOST_ONCE) {
          qos0.incrementAndGet();
          return;
        }
        int n = publishes.incrementAndGet();
        if (n == behaviour.dropConnectionAt()) {
          endpoint.close();
          return;
        }
        OwedAck ack = new OwedAck(message.messageId(), n == behaviour.skipAckOf());
        owed.add(ack);
        maxUnacked.accumulateAndGet(owed.size(), Math::max);
        vertx.setTimer(n == 1 ? behaviour.firstAckDelayMs() : behaviour.ackDelayMs(), id -> {
          ack.due = true;
          // In order, like the node: an ack that is due waits for the ones before it; a skipped one is dropped.
          while (!owed.isEmpty() && owed.peek().due) {
            OwedAck head = owed.poll();
            if (!head.skip && endpoint.isConnected()) {
              endpoint.publishAcknowledge(head.messageId);
            }
          }
        });
      });
      endpoint.accept(false);
    });
    return Await.result(server.listen(), 10).actualPort();
  }

  private static List<String> expected(List<SimMessage> messages) {
    List<String> out = new ArrayList<>(messages.stream().map(m -> m.topic() + " " + m.payloadText()).toList());
    Collections.sort(out);
    return out;
  }

  private List<String> receivedSorted() {
    List<String> out = new ArrayList<>(received);
    Collections.sort(out);
    return out;
  }

  private SimReport run(List<SimMessage> messages, SimOptions options) {
    return Await.result(new StormSimulator(null).run(vertx, options, MessageSource.of(messages)), 90);
  }

  @Test
  void waitsForHeldPubacksWithinItsWindowAndDeliversEverything() {
    List<SimMessage> messages = new MixScenario().generate(TestContexts.mqtt(23, 0.01));
    int port = node(new Behaviour(1_500, 2, -1, -1));
    SimOptions options = SimOptions.builder().mqttPort(port).connections(2).maxInflight(INFLIGHT).qos(1).quiet(true)
      .timeout(Duration.ofSeconds(60)).build();

    long started = System.nanoTime();
    SimReport report = run(messages, options);

    assertTrue(report.complete(), report.toText());
    assertTrue(System.nanoTime() - started >= 1_500_000_000L, "the run waited for the held PUBACK");
    assertEquals(messages.size(), report.messagesConfirmed());
    assertEquals(0, report.retries());
    assertEquals(expected(messages), receivedSorted(), "every message arrived once on its topic");
    assertTrue(maxUnacked.get() <= INFLIGHT, "at most " + INFLIGHT + " unacknowledged per connection, saw " + maxUnacked);
    assertEquals(2, connections.get());
  }

  @Test
  void qos0CountsWrittenMessagesAsDelivered() {
    List<SimMessage> messages = new CounterResendScenario().generate(TestContexts.mqtt(2, 0.2));
    int port = node(new Behaviour(0, 0, -1, -1));
    SimReport report = run(messages, SimOptions.builder().mqttPort(port).qos(0).quiet(true).build());
    assertTrue(report.complete(), report.toText());
    Await.until(() -> qos0.get() == messages.size(), 10, "all QoS 0 messages at the node");
    assertEquals(expected(messages), receivedSorted());
  }

  @Test
  void aSkippedPubackMeansNotTakenAndTheMessageIsSentAgain() {
    List<SimMessage> messages = new GpfStormScenario().generate(TestContexts.mqtt(2, 0.01));
    int port = node(new Behaviour(5, 5, 3, -1));
    SimReport report = run(messages, SimOptions.builder().mqttPort(port).connections(1).maxInflight(INFLIGHT)
      .quiet(true).build());
    assertTrue(report.complete(), report.toText());
    assertEquals(1, report.retries());
    assertEquals(messages.size() + 1, received.size());
    assertEquals(1, duplicatesFlagged.get(), "the repeat carries the DUP flag");
    assertTrue(report.toText().contains("sent again"), report.toText());
  }

  @Test
  void aDroppedConnectionIsReopenedAndItsUnackedMessagesSentAgain() {
    List<SimMessage> messages = new VoltageStormScenario().generate(TestContexts.mqtt(2, 0.02));
    int port = node(new Behaviour(5, 5, -1, 4));
    SimReport report = run(messages, SimOptions.builder().mqttPort(port).connections(1).maxInflight(INFLIGHT)
      .quiet(true).timeout(Duration.ofSeconds(60)).build());
    assertTrue(report.complete(), report.toText());
    assertEquals(messages.size(), report.messagesConfirmed());
    assertTrue(report.retries() >= 1 && report.retries() <= INFLIGHT, report.toText());
    assertEquals(report.retries(), report.alertsResent(), "single-alert messages");
    assertTrue(connections.get() >= 2, "reconnected");
  }

  @Test
  void aNodeThatNeverAcksEndsInAClearTimeout() {
    List<SimMessage> messages = new HealthyScenario().generate(TestContexts.mqtt(2, 0.01));
    int port = node(new Behaviour(600_000, 600_000, -1, -1));
    SimOptions options = SimOptions.builder().mqttPort(port).connections(1).maxInflight(2).quiet(true)
      .timeout(Duration.ofMillis(800)).build();
    Throwable failure = new StormSimulator(null).run(vertx, options, MessageSource.of(messages))
      .toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
    assertTrue(failure instanceof SimTimeoutException, String.valueOf(failure));
    assertTrue(failure.getMessage().contains("2 messages still unacknowledged"), failure.getMessage());
    assertEquals(2, ((SimTimeoutException) failure).partialReport().messagesSent());
  }
}
