package org.csp.edge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.sim.DspFeed;
import org.csp.edge.support.Await;
import org.csp.edge.support.DspBroker;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * A lone node SIGKILLed in the middle of a voltage-like storm (thousands of hubs bursting regionally, chatty hubs
 * in storm, forwarded codes, duplicate headers, bad alerts; 2,000 alerts/s with QoS 1), started again with the same
 * data directory: every alert it acknowledged is accounted for at the DSP, exactly. The sender's window is drained
 * before the kill (every message sent has its PUBACK), so "acknowledged" is exactly "sent" and the equation has no
 * slack: open storms, open and sealed groups, events waiting for the broker, duplicate memory and the counts of
 * the killed run must all come back from the journal.
 */
class CrashMidStormTest {
  private static final int RATE = 2000;
  private static final int TICK_MS = 10;
  private static final int CONNECTIONS = 8;
  private static final int WINDOW = 40;
  private static final int SPREAD_HUBS = 3000;
  private static final int CHATTY_HUBS = 40;
  private static final Duration BEFORE_KILL = Duration.ofSeconds(6);
  private static final Duration AFTER_RESTART = Duration.ofSeconds(3);
  /** "off" shows what is lost without the journal (the test then fails): -DcrashMidStorm.journal=off. */
  private static final String JOURNAL = System.getProperty("crashMidStorm.journal", "on");

  @Test
  void aNodeKilledMidStormLosesNoAlertItAcknowledged() throws Exception {
    killMidStormAndRestart(Map.of(), JOURNAL, JOURNAL);
  }

  /**
   * A node alone on a cluster's configuration (started so that it can be scaled, or left alone by a scale-down; the
   * chart with one replica) journals by default too, and a journal left by a crash is read even when the next start
   * says {@code journal: off}. Before, {@code auto} went by the configuration file's name: such a node journaled
   * nothing and lost what it acknowledged (687 alerts in the probe), and a journal left behind was never read.
   */
  @Test
  void aLoneMemberOfAClusterConfigurationKilledMidStormLosesNothingEvenRestartedWithTheJournalOff() throws Exception {
    killMidStormAndRestart(NodeProcess.localClusterEnv(NodeProcess.uniqueClusterName()), null, "off");
  }

  /** {@code journalBefore}, {@code journalAfter}: the setting of each run, null for the default (auto). */
  private void killMidStormAndRestart(Map<String, String> env, String journalBefore, String journalAfter) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (DspBroker broker = DspBroker.create().start();
        DspFeed dsp = new DspFeed(vertx, "127.0.0.1", broker.port(), "dsp/north/#")) {
      dsp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      JsonObject config = TestNodes.config(broker.url());
      JsonObject policy = TestNodes.fastPolicy();
      // 8014 storms per chatty hub (never a regional burst); 8F36 is always forwarded; 8F3E bursts regionally.
      policy.put("codes", new JsonObject()
          .put("8014", new JsonObject().put("regionalThreshold", 1_000_000).put("regionalRelease", 1_000_000))
          .put("8F36", new JsonObject().put("mode", "forward")));
      // A burst at a low rate too (a busy machine may not give the sender its 2,000/s), groups open for 2 s.
      policy.getJsonObject("defaults").put("regionalThreshold", 40).put("regionalRelease", 10).put("groupWait", "2s");
      policy.put("maxHubsPerGroup", 200);
      config.put("policy", policy);
      if (journalBefore != null) config.put("durability", new JsonObject().put("journal", journalBefore));
      Sender sender = new Sender(vertx, 42);

      NodeProcess node = NodeProcess.start("crash-mid-storm", config, env).awaitReady(Duration.ofSeconds(60));
      try {
        sender.connect(node.mqttPort());
        sender.sendFor(BEFORE_KILL);
        Await.until(sender::drained, Duration.ofSeconds(20), sender::describe);
        JsonObject before = node.status();
        assertEquals(137, node.kill(), "SIGKILL");
        assertTrue(before.getLong("hubsInStorm") > 0 && before.getLong("heldInGroups") + before.getLong("groupsBeingDelivered") > 0
            && before.getLong("duplicates") > 0 && before.getLong("rejected") > 0,
            "killed mid-storm: storms and groups open, duplicates and rejected counted: " + before.encode());
        java.util.Set<String> stormsOfTheKilledRun = regionalStorms(dsp, "storm-start");
        long counted = dsp.countedAlerts();
        assertTrue(counted < sender.acked(), "the kill left acknowledged alerts not yet upstream: " + counted + " of " + sender.acked());

        // The killed run sent no heartbeat (the first is due after 30 s): its duplicates and rejections reach the feed
        // only in the heartbeat its next start sends for it. The next run's own come every second.
        config.getJsonObject("node").put("heartbeatInterval", "1s");
        if (journalAfter != null) config.put("durability", new JsonObject().put("journal", journalAfter));
        node = NodeProcess.start("crash-mid-storm", config, env).awaitReady(Duration.ofSeconds(60));
        sender.connect(node.mqttPort());
        sender.sendFor(AFTER_RESTART); // new alerts, and repeats of headers sent before the kill
        Await.until(sender::drained, Duration.ofSeconds(20), sender::describe);
        NodeProcess restarted = node;
        // Settled: storms ended (quiet 2 s), groups delivered, nothing waiting for the broker.
        Await.until(() -> {
          JsonObject s = restarted.status();
          return s.getLong("hubsInStorm") == 0 && s.getLong("heldInGroups") == 0 && s.getLong("groupsBeingDelivered") == 0
              && s.getLong("hubsWithEventsWaiting") == 0 && s.getLong("outboxDepth") == 0 && s.getLong("regionalBursts") == 0;
        }, Duration.ofSeconds(60), () -> restarted.status().encode());
        JsonObject status = restarted.status();
        JsonObject journal = status.getJsonObject("journal");
        long duplicates = status.getLong("duplicates") + journal.getLong("earlierDuplicates", 0L);
        long rejected = status.getLong("rejected") + journal.getLong("earlierRejected", 0L);
        long acked = sender.acked();
        Await.until(() -> dsp.countedAlerts() + duplicates + rejected == acked, Duration.ofSeconds(30),
            () -> "DSP counted " + dsp.countedAlerts() + " + duplicates " + duplicates + " + rejected " + rejected + " = "
                + (dsp.countedAlerts() + duplicates + rejected) + ", acknowledged " + acked + " (lost "
                + (acked - dsp.countedAlerts() - duplicates - rejected) + "); " + status.encode());
        assertEquals(sender.duplicatesSent(), duplicates, "every repeated header is a duplicate, across the crash");
        assertEquals(sender.badSent(), rejected, "every bad alert is rejected, across the crash");
        assertTrue(dsp.repeatsThatDiffer().isEmpty(), "a repeated eventId always carries the same count");
        // The regional storm the killed run started is ended by the next: no other run would ever end it.
        Await.until(() -> regionalStorms(dsp, "storm-end").containsAll(regionalStorms(dsp, "storm-start")),
            Duration.ofSeconds(30), () -> "regional storms started " + regionalStorms(dsp, "storm-start") + ", ended "
                + regionalStorms(dsp, "storm-end"));
        assertTrue(!stormsOfTheKilledRun.isEmpty(), "the killed run had started one");
        // And from the feed alone, as the DSP checks it: each boot's last heartbeat, the killed one's sent for it.
        Await.until(() -> dsp.accounting().check(acked).holds(), Duration.ofSeconds(30),
            () -> "from the feed alone: " + dsp.accounting().check(acked).equation() + " " + dsp.accounting().check(acked).rows());
      } finally {
        node.close();
        sender.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Each regional storm's code and start seen in an event of {@code type}: "8F3E from 2026-...". */
  private static java.util.Set<String> regionalStorms(DspFeed dsp, String type) {
    java.util.Set<String> storms = new java.util.TreeSet<>();
    for (JsonObject e : dsp.all()) {
      if (type.equals(e.getString("type")) && "region".equals(e.getString("scope"))) {
        storms.add(e.getString("alertCode") + " from " + e.getString("startedAt"));
      }
    }
    return storms;
  }

  /**
   * QoS 1 publishers at {@link #RATE} alerts/s, one alert a message, each connection with at most {@link #WINDOW}
   * messages awaiting their PUBACK; counts the alerts acknowledged.
   */
  private static final class Sender {
    private final Vertx vertx;
    private final Random random;
    private final List<MqttClient> clients = new ArrayList<>();
    private final Map<MqttClient, Map<Integer, Boolean>> pending = new ConcurrentHashMap<>();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final List<long[]> headersSent = new ArrayList<>(); // device number, counter
    private long duplicatesSent;
    private long badSent;
    private long counter;
    private int next;

    Sender(Vertx vertx, long seed) {
      this.vertx = vertx;
      this.random = new Random(seed);
    }

    void connect(int port) throws Exception {
      close();
      clients.clear();
      pending.clear();
      List<Future<?>> connected = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId("crash-sender-" + i + "-" + System.nanoTime())
            .setMaxInflightQueue(WINDOW * 2).setAutoKeepAlive(true));
        Map<Integer, Boolean> mine = new ConcurrentHashMap<>();
        pending.put(c, mine);
        c.publishCompletionHandler(id -> {
          if (mine.remove(id) != null) acked.incrementAndGet();
        });
        clients.add(c);
        connected.add(c.connect(port, "127.0.0.1"));
      }
      Future.all(connected).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Sends at the rate for {@code period} from the sender's Vert.x context; returns when it stopped. */
    void sendFor(Duration period) throws Exception {
      long end = System.nanoTime() + period.toNanos();
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      vertx.runOnContext(v -> vertx.setPeriodic(TICK_MS, id -> {
        if (System.nanoTime() > end) {
          vertx.cancelTimer(id);
          done.tryComplete();
          return;
        }
        for (int i = 0; i < RATE * TICK_MS / 1000; i++) sendOne();
      }));
      done.future().toCompletionStage().toCompletableFuture().get(period.toSeconds() + 30, TimeUnit.SECONDS);
    }

    private void sendOne() {
      MqttClient c = null;
      for (int tries = 0; tries < CONNECTIONS && c == null; tries++) {
        MqttClient candidate = clients.get(next++ % CONNECTIONS);
        if (candidate.isConnected() && pending.get(candidate).size() < WINDOW) c = candidate;
      }
      if (c == null) return; // every window is full: the node holds the pace
      int roll = random.nextInt(1000);
      long device;
      long header;
      String code;
      boolean bad = false;
      if (roll < 20 && !headersSent.isEmpty()) {
        // 2 %: a header sent before (maybe before the kill). Only from hubs that send a few alerts each: a device's
        // duplicate memory is its last policy.duplicates.perDevice counters.
        long[] h = headersSent.get(random.nextInt(headersSent.size()));
        device = h[0];
        header = h[1];
        code = "8F3E";
        duplicatesSent++;
      } else {
        header = ++counter;
        if (roll < 30) {
          bad = true; // 1 %: a hub id that is not an EUI-64
          device = CHATTY_HUBS + random.nextInt(SPREAD_HUBS);
          code = "8F3E";
        } else if (roll < 60) {
          device = CHATTY_HUBS + random.nextInt(SPREAD_HUBS);
          code = "8F36"; // always forwarded
        } else if (roll < 260) {
          device = random.nextInt(CHATTY_HUBS); // ~10 alerts/s each: a storm per hub
          code = "8014";
        } else {
          device = CHATTY_HUBS + random.nextInt(SPREAD_HUBS); // the regional burst
          code = "8F3E";
        }
        if (!bad && device >= CHATTY_HUBS) headersSent.add(new long[] {device, header});
      }
      String hub = hubOf(device);
      JsonObject alert = new JsonObject().put("hubId", bad ? "not-a-hub" : hub).put("deviceId", deviceOf(device))
          .put("alertCode", code).put("originatorCounter", header).put("raisedAt", Instant.now().toString());
      if (bad) badSent++;
      Map<Integer, Boolean> mine = pending.get(c);
      String topic = bad ? "alerts" : "alerts/" + hub;
      c.publish(topic, Buffer.buffer(alert.encode()), MqttQoS.AT_LEAST_ONCE, false, false)
          .onSuccess(id -> mine.put(id, true));
      sent.incrementAndGet();
    }

    private static String hubOf(long n) {
      return eui(0x00_1B_C5_0C_00_00_00_00L + n);
    }

    private static String deviceOf(long n) {
      return eui(0x00_1B_C5_0D_00_00_00_00L + n);
    }

    private static String eui(long v) {
      StringBuilder b = new StringBuilder();
      for (int i = 7; i >= 0; i--) {
        if (b.length() > 0) b.append('-');
        b.append(String.format("%02X", (v >>> (8 * i)) & 0xFF));
      }
      return b.toString();
    }

    boolean drained() {
      return pending.values().stream().allMatch(Map::isEmpty) && acked.get() == sent.get();
    }

    long acked() {
      return acked.get();
    }

    long duplicatesSent() {
      return duplicatesSent;
    }

    long badSent() {
      return badSent;
    }

    String describe() {
      return "sent " + sent.get() + ", acknowledged " + acked.get();
    }

    void close() {
      for (MqttClient c : clients) if (c.isConnected()) c.disconnect();
    }
  }
}
