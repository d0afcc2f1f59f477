package org.csp.edge;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.cluster.AlertPipeline;
import org.csp.edge.cluster.ClusterConfigs;
import org.csp.edge.cluster.CommonPool;
import org.csp.edge.cluster.DeliveryReceipts;
import org.csp.edge.cluster.HubCounts;
import org.csp.edge.cluster.HubJournal;
import org.csp.edge.cluster.HubStateStore;
import org.csp.edge.cluster.LeavingMembers;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.cluster.OwnerSweeper;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.NodeClock;
import org.csp.edge.durability.CountsJournal;
import org.csp.edge.durability.Journal;
import org.csp.edge.ingest.Southbound;
import org.csp.edge.ops.EventLoopProbe;
import org.csp.edge.ops.Health;
import org.csp.edge.ops.HttpApi;
import org.csp.edge.ops.NodeMetrics;
import org.csp.edge.ops.NodeStatus;
import org.csp.edge.upstream.EmbeddedBroker;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.EventSink;
import org.csp.edge.upstream.Outbox;
import org.csp.edge.upstream.OutboxSink;
import org.csp.edge.upstream.OutboxSpill;
import org.csp.edge.upstream.UpstreamEvent;
import org.csp.edge.upstream.UpstreamPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CSP edge node: joins the cluster, starts the upstream side first (so that nothing is accepted before it can
 * be queued), then consolidation, then the intakes. Stops in the reverse order, draining as it goes.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final Duration EVENT_LOOP_PROBE_INTERVAL = Duration.ofMillis(500);
  /** Liveness fails when an event loop has not ticked for this long: far beyond Vert.x's 2 s blocked warning. */
  private static final Duration EVENT_LOOP_BLOCKED_AFTER = Duration.ofSeconds(10);

  private final NodeConfig config;
  private final NodeClock clock;
  private final NodeStats stats = new NodeStats();
  private final NodeMetrics metrics;
  private final EventLoopProbe.Readings eventLoops = new EventLoopProbe.Readings();
  private volatile boolean started;
  private final List<String> intakeDeployments = new ArrayList<>();
  private Vertx vertx;
  private HazelcastInstance hazelcast;
  private EmbeddedBroker broker;
  private Outbox outbox;
  private OutboxSpill spill;
  private UpstreamPublisher publisher;
  private String publisherDeployment;
  private final OwnedHubs owned = new OwnedHubs();
  private Journal journal = Journal.off();
  private OwnerSweeper sweeper;
  private String sweeperDeployment;
  private NodeStatus status;
  private HttpApi httpApi;
  private long statusTimer = -1;
  private int upstreamPort;

  private Node(NodeConfig config, NodeClock clock) {
    this.config = config;
    this.clock = clock;
    this.metrics = new NodeMetrics(config.region(), config.nodeId());
    metrics.bindAccounting(stats);
  }

  public static Future<Node> start(NodeConfig config) {
    return start(config, NodeClock.SYSTEM);
  }

  public static Future<Node> start(NodeConfig config, NodeClock clock) {
    Node node = new Node(config, clock);
    return node.startAll().map(node);
  }

  private Future<Void> startAll() {
    HazelcastClusterManager clusterManager = ClusterConfigs.clusterManager(config.clusterConfig(),
        java.util.Map.of(OwnedHubs.USER_CONTEXT_KEY, owned));
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .withClusterManager(clusterManager)
        .buildClustered()
        .compose(v -> {
          vertx = v;
          hazelcast = clusterManager.getHazelcastInstance();
          owned.joined(hazelcast);
          metrics.bindCluster(hazelcast);
          log.info("node {} of region {} joined cluster '{}' ({} members)", config.nodeId(), config.region(),
              hazelcast.getConfig().getClusterName(), hazelcast.getCluster().getMembers().size());
          if (!CommonPool.threaded()) {
            log.warn("the JVM's common pool has one thread: Hazelcast starts a thread per receipts batch; start the"
                + " JVM with -D{}={}", CommonPool.PARALLELISM, CommonPool.AT_LEAST);
          }
          return startUpstream();
        })
        .compose(v -> startConsolidationAndIntakes())
        .compose(v -> vertx.deployVerticle(() -> new EventLoopProbe(EVENT_LOOP_PROBE_INTERVAL, eventLoops),
            new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)).<Void>mapEmpty())
        .onSuccess(v -> {
          started = true;
          statusTimer = vertx.setPeriodic(config.statusLogInterval().toMillis(), id -> log.info(status.line()));
          log.info("node {} ready: MQTT intake on {}:{}, upstream {} under topic prefix {}", config.nodeId(),
              config.bindHost(), config.mqttPort(), publisher.target(), config.topicPrefix());
        })
        .recover(e -> {
          log.error("node failed to start: {}", e.getMessage());
          return (vertx == null ? Future.<Void>succeededFuture() : vertx.close()).transform(x -> Future.failedFuture(e));
        });
  }

  private Future<Void> startUpstream() {
    outbox = new Outbox(config.outbox().capacity(), config.outbox().resumeAt());
    spill = new OutboxSpill(config.dataDir());
    Future<Integer> port;
    String host;
    if (config.upstream().embedded()) {
      broker = new EmbeddedBroker(config.embeddedBroker().host(), config.embeddedBroker().port(),
          config.limits().maxMessageBytes() * 4);
      host = config.embeddedBroker().host();
      port = broker.start(vertx);
    } else {
      host = config.upstream().url().getHost();
      port = Future.succeededFuture(config.upstream().url().getPort());
    }
    return port
        .compose(p -> {
          upstreamPort = p;
          return vertx.executeBlocking(spill::read);
        })
        .compose(spilled -> {
          for (UpstreamEvent e : spilled) outbox.offer(e);
          if (!spilled.isEmpty()) log.info("{} events left by the last run are queued again from {}", spilled.size(), spill.file());
          publisher = new UpstreamPublisher(config.upstream(), config.security().upstream(), host, upstreamPort, outbox, stats,
              metrics.publishLatency());
          return vertx.deployVerticle(publisher);
        })
        .map(id -> {
          publisherDeployment = id;
          return null;
        });
  }

  private Future<Void> startConsolidationAndIntakes() {
    Supplier<AlertPolicy> policy = config::policy;
    HubStateStore hubs = new HubStateStore(hazelcast);
    EventFactory events = new EventFactory(config.region(), config.nodeId(), config.topicPrefix(), clock);
    DeliveryReceipts receipts = new DeliveryReceipts(hubs);
    // What the decisions raise on this member (as a hub's owner, as the detector of a burst, as the sealer of a
    // group) becomes an upstream message here: encoded, queued, counted; a hub's receipt goes back to the hub.
    EventSink sink = new OutboxSink(events, outbox, stats, receipts);
    owned.publishTo(sink);
    owned.regional().noticesTo(sink::regionalNotice);
    AlertPipeline pipeline = new AlertPipeline(hubs, stats, clock, policy);
    sweeper = new OwnerSweeper(hazelcast, hubs, owned, receipts, events, sink, clock,
        policy, config.sweepInterval(), config.receiptInterval(), ClusterConfigs.hubIdle(hazelcast.getConfig()));
    hazelcast.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
        log.info("member {} joined; {} members", e.getMember().getAddress(), e.getMembers().size());
        sweeper.reindexSoon();
      }

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
        log.warn("member {} left; {} members; its hubs are taken up by their backups", e.getMember().getAddress(), e.getMembers().size());
        sweeper.reindexSoon();
      }
    });
    status = new NodeStatus(config, stats, outbox, owned, receipts::size, publisher::connected, publisher.target());
    status.showInvocations(hubs.invocations());
    status.showJournal(this::journalJson);
    status.countHubs(hubs::ownedHere);
    metrics.bindHubs(hubs::ownedHere);
    metrics.bindState(outbox, owned, publisher::connected);
    metrics.bindInvocations(hubs.invocations());
    metrics.bindEventLoops(eventLoops);
    Southbound southbound = new Southbound(config, pipeline, outbox, stats);
    Health health = new Health(vertx, eventLoops, EVENT_LOOP_BLOCKED_AFTER, hazelcast, status, () -> started);
    httpApi = new HttpApi(config.bindHost(), config.httpPort(), status, policy, List.of(
        southbound::mountHttp,
        health::mount,
        router -> router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()))),
        southbound.httpGuard());
    return vertx.executeBlocking(() -> openJournal(hubs), false)
        .compose(v -> vertx.deployVerticle(sweeper))
        .compose(id -> {
          sweeperDeployment = id;
          return vertx.deployVerticle(httpApi);
        })
        .compose(id -> {
          intakeDeployments.add(id);
          return vertx.deployVerticle(southbound.mqttServer(),
              new DeploymentOptions().setInstances(Math.max(1, config.mqttInstances())));
        })
        .map(id -> {
          intakeDeployments.add(0, id); // MQTT first on the way down: it is where most traffic comes from
          return null;
        });
  }

  private CountsJournal counts;

  /**
   * Opens the journal and, on a member alone (a single node, or the first member of a cluster that was down whole),
   * puts back what it held before the intakes open: every acknowledged alert's hub state, the group records, and the
   * counts of earlier runs. A member joining a running cluster takes the cluster's state instead; only the counts of
   * its earlier runs are kept. Blocking: reads the data directory.
   */
  private Void openJournal(HubStateStore hubs) throws java.io.IOException {
    journal = config.durability().journal()
        ? Journal.open(config.dataDir().resolve("journal"), config.durability()) : Journal.off();
    counts = new CountsJournal(journal, stats);
    stats.beforeAcknowledge(counts::beforeAcknowledge);
    HubJournal hubJournal = new HubJournal(journal);
    if (hazelcast.getCluster().getMembers().size() == 1) {
      hubJournal.restore(hubs, hazelcast);
    } else if (!journal.recovered().isEmpty()) {
      log.info("journal: joined a running cluster; the hubs of the last run are the cluster's now, not restored");
    }
    journal.dropEarlierSegments();
    owned.journalTo(hubJournal);
    if (!counts.earlierBoots().isEmpty()) {
      log.warn("journal: {} earlier run(s) of this node ended without a clean stop; their totals: {}",
          counts.earlierBoots().size(), journalJson().getJsonObject("earlierBoots").encode());
    }
    return null;
  }

  private io.vertx.core.json.JsonObject journalJson() {
    io.vertx.core.json.JsonObject out = new io.vertx.core.json.JsonObject().put("enabled", journal.on());
    if (counts == null) return out;
    io.vertx.core.json.JsonObject earlier = new io.vertx.core.json.JsonObject();
    long duplicates = 0, rejected = 0;
    for (var e : counts.earlierBoots().entrySet()) {
      earlier.put(e.getKey(), e.getValue().toJson());
      duplicates += e.getValue().duplicates();
      rejected += e.getValue().rejected();
    }
    return out.put("bootId", counts.bootId()).put("records", journal.appended()).put("bytes", journal.appendedBytes())
        .put("earlierBoots", earlier).put("earlierDuplicates", duplicates).put("earlierRejected", rejected);
  }

  /**
   * Graceful stop: refuse new input and let alerts in flight finish. A member that leaves others behind stops
   * publishing, lets the broker take what it already sent or queued, hands the receipts back to the hubs, and
   * leaves: the events still waiting stay in the hubs' state and migrate with them to their new owners. The last
   * member instead emits its open periods and groups, drains what it can, and spills the rest to disk. A member is
   * the last when every other one is leaving too ({@link LeavingMembers}).
   */
  public Future<Void> stop() {
    if (vertx == null) return Future.succeededFuture();
    started = false;
    if (statusTimer >= 0) vertx.cancelTimer(statusTimer);
    Future<Void> intakesClosed = Future.succeededFuture();
    for (String id : intakeDeployments) intakesClosed = intakesClosed.compose(v -> vertx.undeploy(id));
    LeavingMembers leaving = new LeavingMembers(hazelcast);
    // Composed after the undeploys so that the blocking call is made from this node's own Vert.x threads (called
    // from a foreign thread, executeBlocking may pick another Vert.x instance's sticky context in the same JVM).
    return intakesClosed
        .compose(v -> vertx.executeBlocking(leaving::leave, false))
        .recover(e -> {
          log.warn("cannot tell the cluster that this member is leaving ({}); going by the member list", e.toString());
          return Future.succeededFuture(hazelcast.getCluster().getMembers().size() == 1);
        })
        .compose(last -> drainAndLeave(last, leaving));
  }

  /** How long the last member waits for the others to hand their partitions over before its final flush. */
  private static final Duration LAST_MEMBER_WAIT = Duration.ofSeconds(30);

  private Future<Void> drainAndLeave(boolean last, LeavingMembers leaving) {
    log.info("node {} stopping: intake closed, draining{}", config.nodeId(), last ? " (last member: flushing open periods)" : "");
    return waitUntil(() -> stats.undecided() <= 0, Duration.ofSeconds(10))
        .compose(v -> last ? flushEverything(leaving) : Future.succeededFuture())
        .compose(v -> {
          owned.publishTo(null);
          return waitUntil(() -> outbox.depth() == 0, config.outbox().drainTimeout());
        })
        .compose(v -> vertx.undeploy(sweeperDeployment)) // hands the last receipts back to the hubs
        .compose(v -> vertx.undeploy(publisherDeployment))
        .compose(v -> vertx.executeBlocking(() -> {
          List<UpstreamEvent> left = outbox.drainAll();
          if (last) {
            spill.write(left);
            if (!left.isEmpty()) log.warn("{} events not yet taken by the broker were spilled to {}", left.size(), spill.file());
          } else if (!left.isEmpty()) {
            log.info("{} events not yet delivered stay with their hubs for the members that take them over", left.size());
          }
          journal.discard(); // a clean stop owes nothing more: flushed and spilled, or handed over
          return null;
        }))
        .compose(v -> broker == null ? Future.succeededFuture() : broker.stop(vertx))
        .eventually(() -> vertx.close())
        .onComplete(ar -> log.info("node {} stopped: {}", config.nodeId(), status.line()))
        .mapEmpty();
  }

  /**
   * The last member: once the others have handed their partitions over, every hub is indexed and every open period
   * and group is emitted now, and given a moment to be sealed and queued.
   */
  private Future<Void> flushEverything(LeavingMembers leaving) {
    long deadline = System.nanoTime() + config.outbox().drainTimeout().toNanos();
    return vertx.executeBlocking(() -> {
      leaving.awaitAlone(LAST_MEMBER_WAIT);
      return null;
    }, false)
        .compose(v -> sweeper.reindexNow())
        .compose(v -> flushUntilNothingHeld(deadline));
  }

  /**
   * Sweeps with every period and group due until no hub holds an open or sealed group share. One pass may not be
   * enough: a code whose groups were being sealed by the last periodic sweep is skipped, and after a regional burst
   * there are many groups of maxHubsPerGroup to seal, record, publish and release (seen in the bench: one 5 s wait
   * left 48,970 alerts in open groups).
   */
  private Future<Void> flushUntilNothingHeld(long deadline) {
    return sweeper.sweep(true).compose(v -> {
      HubCounts held = owned.counts();
      if (held.grouping() == 0 && held.sealed() == 0) return sweeper.sweep(false);
      if (System.nanoTime() > deadline) {
        log.error("last member: {} hubs still in open groups ({} alerts) and {} in groups being delivered after "
            + "outbox.drainTimeout {}; those counts are lost with this member", held.grouping(), held.heldInGroups(),
            held.sealed(), config.outbox().drainTimeout());
        return Future.succeededFuture();
      }
      return vertx.timer(config.sweepInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .compose(t -> flushUntilNothingHeld(deadline));
    });
  }

  private Future<Void> waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    pollUntil(condition, System.currentTimeMillis() + timeout.toMillis(), done);
    return done.future();
  }

  // A chain of one-shot timers: cancelling a periodic timer from its own first run (delay 0) fails in Vert.x 5.0.8.
  private void pollUntil(java.util.function.BooleanSupplier condition, long deadline, io.vertx.core.Promise<Void> done) {
    if (condition.getAsBoolean() || System.currentTimeMillis() > deadline) {
      done.tryComplete();
    } else {
      vertx.setTimer(20, id -> pollUntil(condition, deadline, done));
    }
  }

  public NodeStatus status() {
    return status;
  }

  public NodeConfig config() {
    return config;
  }

  public int httpPort() {
    return httpApi.actualPort();
  }

  /** Where the upstream events go: the embedded broker's port when no DSP broker is configured. */
  public int upstreamPort() {
    return upstreamPort;
  }

  public Vertx vertx() {
    return vertx;
  }
}
