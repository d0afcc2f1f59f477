package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event reaches the DSP only once the journal wrote the changes it reports: a node killed between the two would
 * otherwise restore the state from before them and report them again, with other counts (issue 17, items 4 and 5).
 * A real broker (the node's embedded one) and a subscriber; the journal's barrier is held by the test.
 */
class PublishAfterJournalTest {
  private static final long QUIET_MS = 700;
  @TempDir
  Path dataDir;
  private Vertx vertx;
  private EmbeddedBroker broker;
  private MqttClient subscriber;
  private int port;
  private UpstreamPublisher publisher;
  private final Outbox outbox = new Outbox(100, 50);
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    broker = new EmbeddedBroker("127.0.0.1", port, 1 << 20);
    await(broker.start(vertx).toCompletionStage());
    for (int attempt = 1; subscriber == null; attempt++) subscriber = subscribed(attempt);
  }

  /**
   * A subscriber whose subscription the broker acknowledged (SUBACK), or null to try again: Moquette has been seen to
   * close a connection whose SUBSCRIBE came right after the CONNACK ("SUBSCRIBE received on already closed
   * connection"), and the client's subscribe completes when the packet is sent, not when it is taken.
   */
  private MqttClient subscribed(int attempt) throws Exception {
    MqttClient c = MqttClient.create(vertx);
    CompletableFuture<Void> acked = new CompletableFuture<>();
    c.subscribeCompletionHandler(ack -> acked.complete(null));
    c.closeHandler(v -> acked.completeExceptionally(new IllegalStateException("closed before the SUBACK")));
    c.publishHandler(m -> received.add(m.payload().toString()));
    try {
      await(c.connect(port, "127.0.0.1").toCompletionStage());
      await(c.subscribe("dsp/#", MqttQoS.AT_LEAST_ONCE.value()).toCompletionStage());
      acked.get(10, TimeUnit.SECONDS);
      return c;
    } catch (java.util.concurrent.ExecutionException e) {
      if (attempt >= 5) throw e;
      return null;
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    await(broker.stop(vertx).toCompletionStage());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void start(Supplier<CompletionStage<Void>> journalWritten) throws Exception {
    NodeConfig config = ConfigLoader.fromJson(new JsonObject(), Map.of());
    publisher = new UpstreamPublisher(config.upstream(), config.security().upstream(), "127.0.0.1",
        port, outbox, new NodeStats(), Timer.builder("t").register(new SimpleMeterRegistry()),
        new DeadLetters(dataDir)).afterJournal(journalWritten);
    await(vertx.deployVerticle(publisher).toCompletionStage());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!publisher.connected() && System.nanoTime() < until) Thread.sleep(20);
    assertTrue(publisher.connected(), "the publisher connects to the broker");
  }

  private static UpstreamEvent event(String id) {
    return new UpstreamEvent(id, "alert", "dsp/north/alert", 1, Buffer.buffer("{\"eventId\":\"" + id + "\"}"));
  }

  private void awaitReceived(int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.size() < n && System.nanoTime() < until) Thread.sleep(20);
    assertEquals(n, received.size(), "events at the DSP: " + received);
  }

  @Test
  void anEventWaitsForTheJournalToWriteWhatItReports() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    start(() -> gate);
    outbox.offer(event("e-1"));
    Thread.sleep(QUIET_MS);
    assertEquals(List.of(), received, "nothing published while the journal has not written");
    assertEquals(1, outbox.depth(), "the event still counts in the outbox");
    gate.complete(null);
    awaitReceived(1);
    assertTrue(received.get(0).contains("e-1"));
  }

  @Test
  void eventsGoAtOnceWhenAllIsWritten() throws Exception {
    start(() -> CompletableFuture.completedFuture(null));
    for (int i = 0; i < 20; i++) outbox.offer(event("e-" + i));
    awaitReceived(20);
  }

  /**
   * After a failed write the state in memory holds decisions never acknowledged (their senders resend them): nothing
   * more is published in the run, and the next start publishes what the journal kept. The events stay in the outbox.
   */
  @Test
  void aJournalThatStoppedHoldsTheFeed() throws Exception {
    start(() -> CompletableFuture.failedFuture(new java.io.IOException("disk gone")));
    outbox.offer(event("e-1"));
    outbox.offer(event("e-2"));
    Thread.sleep(QUIET_MS);
    assertEquals(List.of(), received, "nothing published");
    assertEquals(2, outbox.depth(), "both still in the outbox");
  }

  @Test
  void aStopHandsBackTheEventsWaitingForTheJournal() throws Exception {
    start(CompletableFuture::new); // never written
    outbox.offer(event("e-1"));
    outbox.offer(event("e-2"));
    Thread.sleep(QUIET_MS);
    await(vertx.undeploy(vertx.deploymentIDs().iterator().next()).toCompletionStage());
    List<UpstreamEvent> left = outbox.drainAll();
    assertEquals(List.of("e-1", "e-2"), left.stream().map(UpstreamEvent::eventId).toList(),
        "what a stop spills: both, in order");
    assertEquals(List.of(), received);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
