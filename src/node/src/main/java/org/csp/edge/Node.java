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
import java.util.UUID;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.cluster.AlertPipeline;
import org.csp.edge.cluster.BackgroundExchange;
import org.csp.edge.cluster.ClusterConfigs;
import org.csp.edge.cluster.ClusterSchemas;
import org.csp.edge.cluster.CommonPool;
import org.csp.edge.cluster.DeliveryReceipts;
import org.csp.edge.cluster.HubCounts;
import org.csp.edge.cluster.HubJournal;
import org.csp.edge.cluster.LostHubPartitions;
import org.csp.edge.cluster.HubCopies;
import org.csp.edge.cluster.HandedOverEvents;
import org.csp.edge.cluster.SharedBootCounts;
import org.csp.edge.cluster.HubStateStore;
import org.csp.edge.cluster.Quorum;
import org.csp.edge.cluster.LeavingMembers;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.cluster.OwnerSweeper;
import org.csp.edge.cluster.SharedBackgrounds;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.decision.CodeMode;
import org.csp.edge.decision.NodeClock;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.digest.DigestMail;
import org.csp.edge.digest.Digests;
import org.csp.edge.digest.StormLedger;
import org.csp.edge.durability.AtomicFile;
import org.csp.edge.durability.CountsJournal;
import org.csp.edge.durability.DataDirectory;
import org.csp.edge.durability.DataDirectoryLock;
import org.csp.edge.durability.Journal;
import org.csp.edge.history.RollupFlusher;
import org.csp.edge.history.RollupStore;
import org.csp.edge.register.Annotations;
import org.csp.edge.register.Certainty;
import org.csp.edge.register.RegisterRecompute;
import org.csp.edge.register.RegisterRoutes;
import org.csp.edge.register.StormRegister;
import org.csp.edge.report.ReportRoutes;
import org.csp.edge.rollup.AlertRollups;
import org.csp.edge.rollup.Sketches;
import org.csp.edge.ingest.Southbound;
import org.csp.edge.ops.EventLoopProbe;
import org.csp.edge.ops.Health;
import org.csp.edge.console.Console;
import org.csp.edge.ops.HttpApi;
import org.csp.edge.ops.NodeMetrics;
import org.csp.edge.ops.SilenceRoutes;
import org.csp.edge.silence.SilenceStore;
import org.csp.edge.inventory.Inventory;
import org.csp.edge.inventory.InventoryRoutes;
import org.csp.edge.ops.NodeStatus;
import org.csp.edge.policy.PolicyApi;
import org.csp.edge.preview.PolicyPreview;
import org.csp.edge.preview.PreviewApi;
import org.csp.edge.preview.RecentTraffic;
import org.csp.edge.policy.PolicyAudit;
import org.csp.edge.policy.PolicyVersions;
import org.csp.edge.upstream.DeadLetters;
import org.csp.edge.upstream.EmbeddedBroker;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.FairShare;
import org.csp.edge.upstream.Heartbeats;
import org.csp.edge.upstream.NodePresence;
import org.csp.edge.upstream.Outbox;
import org.csp.edge.upstream.OutboxSink;
import org.csp.edge.upstream.MemberLocalEvents;
import org.csp.edge.upstream.OpenRegionalStorms;
import org.csp.edge.upstream.OutboxSpill;
import org.csp.edge.upstream.SpillReplay;
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
  /** How far back csp_eventloop_delay_seconds and /health look: longer than any sensible scrape interval. */
  private static final Duration EVENT_LOOP_DELAY_WINDOW = Duration.ofMinutes(1);
  private final EventLoopProbe.Readings eventLoops = new EventLoopProbe.Readings(EVENT_LOOP_DELAY_WINDOW);
  private volatile boolean started;
  private final List<String> intakeDeployments = new ArrayList<>();
  private Vertx vertx;
  private HazelcastInstance hazelcast;
  private EmbeddedBroker broker;
  private Outbox outbox;
  private OutboxSpill spill;
  private OpenRegionalStorms openStorms;
  private SpillReplay replay;
  /** Whether this member was the last to leave: null until the stop knows. */
  private volatile Boolean last;
  private boolean spilled;
  /** Whether the spill was written (or there was none to write): only then may a clean stop discard the journal. */
  private boolean spillWritten;
  private UpstreamPublisher publisher;
  /** New at each start: a DSP tells the boots of a node apart by it (heartbeats, status). */
  private final String bootId = UUID.randomUUID().toString();
  private Heartbeats heartbeats;
  private String publisherDeployment;
  private final OwnedHubs owned = new OwnedHubs();
  private SilenceStore silences;
  private Inventory inventory;
  /** Opened after the publisher starts (which asks it for each batch it sends): volatile. */
  private volatile Journal journal = Journal.off();
  private OwnerSweeper sweeper;
  private String sweeperDeployment;
  private NodeStatus status;
  private HttpApi httpApi;
  private long statusTimer = -1;
  /** Takes into the outbox the events members that left handed over ({@link HandedOverEvents}). */
  private long handOverTimer = -1;
  private static final Duration HAND_OVER_POLL = Duration.ofSeconds(1);
  private final MemberLocalEvents memberLocal = new MemberLocalEvents();
  private HandedOverEvents handedOver;
  /** Held from the start's first step to the stop's last: one node per data directory. */
  private DataDirectoryLock dataDirectoryLock;
  private int upstreamPort;
  /** The policy in force: the cluster's versions (org.csp.edge.policy), the configuration file's as the base. */
  private PolicyVersions policy;
  private RollupFlusher rollupFlusher;
  private String rollupDeployment;
  private RegisterRecompute registerRecompute;
  private String registerDeployment;
  private Sketches sketches;
  private Digests digests;
  private String digestsDeployment;

  private Node(NodeConfig config, NodeClock clock) {
    this.config = config;
    this.clock = clock;
    this.metrics = new NodeMetrics(config.region(), config.nodeId());
    metrics.bindAccounting(stats);
    if (config.security().tls().enabled()) metrics.bindCertificate(config.security().tls().certFile());
  }

  public static Future<Node> start(NodeConfig config) {
    return start(config, NodeClock.SYSTEM);
  }

  public static Future<Node> start(NodeConfig config, NodeClock clock) {
    Node node = new Node(config, clock);
    return node.startAll().map(node);
  }

  /** What the node keeps in its data directory (design.md, "Where state lives"), each part's entries by its own names. */
  private List<DataDirectory.Entry> dataLayout() {
    List<DataDirectory.Entry> entries = new ArrayList<>();
    OutboxSpill.FILES.forEach(f -> entries.add(new DataDirectory.Entry(f, DataDirectory.Kind.FILE, "the outbox spilled at a stop")));
    entries.add(new DataDirectory.Entry(DeadLetters.DIRECTORY, DataDirectory.Kind.DIRECTORY, "the dead letters"));
    for (String f : List.of(DeadLetters.FILE, DeadLetters.LOCK_FILE)) {
      entries.add(new DataDirectory.Entry(DeadLetters.DIRECTORY + "/" + f, DataDirectory.Kind.FILE, "the dead letters"));
    }
    entries.add(new DataDirectory.Entry(Journal.DIRECTORY, DataDirectory.Kind.DIRECTORY, "the journal"));
    entries.add(new DataDirectory.Entry(DigestMail.DIRECTORY, DataDirectory.Kind.DIRECTORY, "the digest e-mails not yet sent"));
    entries.add(new DataDirectory.Entry(PolicyVersions.FILE, DataDirectory.Kind.FILE, "the policy's versions"));
    entries.add(new DataDirectory.Entry(SilenceStore.FILE_NAME, DataDirectory.Kind.FILE, "the silences"));
    entries.add(new DataDirectory.Entry(Inventory.DIRECTORY, DataDirectory.Kind.DIRECTORY, "the device inventory"));
    entries.add(new DataDirectory.Entry(Inventory.DIRECTORY + "/" + Inventory.FILE, DataDirectory.Kind.FILE, "the device inventory"));
    entries.add(new DataDirectory.Entry(BackgroundExchange.FILE, DataDirectory.Kind.FILE, "the regional backgrounds learned"));
    entries.add(new DataDirectory.Entry(OpenRegionalStorms.FILE, DataDirectory.Kind.FILE, "the regional storms not yet ended upstream"));
    entries.add(new DataDirectory.Entry(DataDirectoryLock.FILE, DataDirectory.Kind.FILE, "the lock of the node using the directory"));
    if (config.rollups().storeUrl().startsWith("jdbc:h2:")) {
      entries.add(new DataDirectory.Entry(NodeConfig.ROLLUPS_DIRECTORY, DataDirectory.Kind.DIRECTORY, "the reports' store"));
    }
    return entries;
  }

  private Future<Void> startAll() {
    try {
      DataDirectory.check(config.dataDir(), dataLayout());
      dataDirectoryLock = DataDirectoryLock.take(config.dataDir());
    } catch (IllegalStateException e) {
      log.error("node failed to start: {}", e.getMessage());
      return Future.failedFuture(e);
    } catch (java.io.IOException e) {
      log.warn("cannot lock the data directory {} ({}): a second node started on it would not be refused",
          config.dataDir(), e.toString());
    }
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
          // The policy in force before anything is queued: the upstream side may ask it too.
          return vertx.executeBlocking(() -> {
            LeavingMembers.listen(hazelcast);
            HubCopies.watch(hazelcast);
            int leftovers = AtomicFile.removeLeftovers(config.dataDir()); // before anything of this run writes there
            if (leftovers > 0) log.info("{} temporary files of writes cut short by a crash removed from {}", leftovers, config.dataDir());
            policy = PolicyVersions.open(hazelcast, config.policy(), config.dataDir(), config.nodeId(),
                new PolicyAudit(metrics.registry()), java.time.Clock.systemUTC());
            return null;
          }, false);
        })
        .compose(v -> startUpstream())
        .compose(v -> startConsolidationAndIntakes())
        .compose(v -> vertx.deployVerticle(() -> new EventLoopProbe(EVENT_LOOP_PROBE_INTERVAL, eventLoops),
            new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)).<Void>mapEmpty())
        .onSuccess(v -> {
          started = true;
          heartbeats.start(vertx);
          // The killed runs' last totals, which their own heartbeats may not have carried yet.
          if (counts != null) {
            counts.earlierBoots().forEach((boot, c) -> heartbeats.recovered(c.nodeIdOr(config.nodeId()), boot, c.toJson()));
          }
          handOverTimer = vertx.setPeriodic(HAND_OVER_POLL.toMillis(), id -> vertx.executeBlocking(() -> takeWhatMembersLeft(), false)
              .onFailure(e -> log.warn("cannot take the events handed over by members that left: {}", e.toString())));
          statusTimer = vertx.setPeriodic(config.statusLogInterval().toMillis(), id -> {
            log.info(status.line());
            openStorms.totals(owned.regional().openTotals());
          });
          log.info("node {} ready: MQTT intake on {}:{}, upstream {} under topic prefix {}", config.nodeId(),
              config.bindHost(), config.mqttPort(), publisher.target(), config.topicPrefix());
        })
        .recover(e -> {
          log.error("node failed to start: {}", e instanceof java.nio.file.FileSystemException f
              ? org.csp.edge.cli.CommandLines.described(f) : e.getMessage());
          return (vertx == null ? Future.<Void>succeededFuture() : vertx.close()).transform(x -> {
            releaseDataDirectory();
            return Future.failedFuture(e);
          });
        });
  }

  private Future<Void> startUpstream() {
    // Forward-mode codes ahead of the recipients' weighted queues, asked of the policy in force as each event is queued.
    FairShare order = new FairShare(config.recipients(), code -> policy.get().forCode(code).mode() == CodeMode.FORWARD);
    outbox = new Outbox(config.outbox().capacity(), config.outbox().resumeAt(), config.outbox().capacityBytes(), order);
    metrics.bindRecipients(order);
    spill = new OutboxSpill(config.dataDir());
    openStorms = new OpenRegionalStorms(config.dataDir());
    metrics.bindSpill(spill);
    Future<Integer> port;
    String host;
    if (config.upstream().embedded()) {
      broker = new EmbeddedBroker(config.embeddedBroker().host(), config.embeddedBroker().port(),
          Math.max(config.limits().maxMessageBytes() * 4, config.upstream().maxMessageBytes()));
      host = config.embeddedBroker().host();
      port = broker.start(vertx);
    } else {
      host = config.upstream().url().getHost();
      port = Future.succeededFuture(config.upstream().url().getPort());
    }
    return port
        .compose(p -> {
          upstreamPort = p;
          // Streamed into the outbox on a thread of its own, as the broker takes it (SpillReplay).
          return vertx.executeBlocking(() -> spill.replay(outbox));
        })
        .compose(r -> {
          replay = r;
          publisher = new UpstreamPublisher(config.upstream(), config.security().upstream(), host, upstreamPort, outbox, stats,
              metrics.publishLatency(), new DeadLetters(config.dataDir()))
              .announce(new NodePresence(config.region(), config.nodeId(), bootId, config.topicPrefix(), clock))
              .afterJournal(() -> journal.written());
          return vertx.deployVerticle(publisher);
        })
        .map(id -> {
          publisherDeployment = id;
          return null;
        });
  }

  private Future<Void> startConsolidationAndIntakes() {
    HubStateStore hubs = new HubStateStore(hazelcast);
    EventFactory events = new EventFactory(config.region(), config.nodeId(), config.topicPrefix(), clock,
        config.upstream().maxMessageBytes());
    DeliveryReceipts receipts = new DeliveryReceipts(hubs, config.maxGatheredReceipts());
    // What the decisions raise on this member (as a hub's owner, as the detector of a burst, as the sealer of a
    // group) becomes an upstream message here: encoded, queued, counted; a hub's receipt goes back to the hub.
    handedOver = new HandedOverEvents(hazelcast);
    OutboxSink sink = new OutboxSink(events, outbox, stats, receipts, memberLocal);
    heartbeats = new Heartbeats(events, outbox, stats, bootId, config.heartbeatInterval(), memberLocal);
    owned.publishTo(sink);
    owned.regional().noticesTo(sink::regionalNotice);
    sink.regionalStormsIn(openStorms);
    Quorum quorum = new Quorum(hazelcast);
    AlertPipeline pipeline = new AlertPipeline(hubs, stats, clock, policy, quorum);
    pipeline.recordingWhile(() -> journal == null || journal.writeFailures() == 0);
    NodeConfig.Preview previewing = config.preview();
    RecentTraffic recent = new RecentTraffic(previewing.recordSize(), previewing.window().toMillis(), previewing.slices());
    pipeline.decidedTo(recent::record);
    PolicyPreview preview = new PolicyPreview(recent, policy, () -> hazelcast.getCluster().getMembers().size(),
        clock::millis, previewing.timeout());
    sweeper = new OwnerSweeper(hazelcast, hubs, owned, receipts, events, sink, clock,
        policy, quorum, config.sweepInterval(), config.receiptInterval(), ClusterConfigs.hubIdle(hazelcast.getConfig()));
    hazelcast.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
        log.info("member {} joined; {} members", e.getMember().getAddress(), e.getMembers().size());
        sweeper.reindexSoon();
      }

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
        log.warn("member {} left; {} members; its hubs are taken up by their backups (hubs whose every copy was on"
            + " members that left are logged as lost)", e.getMember().getAddress(), e.getMembers().size());
        sweeper.reindexSoon();
      }
    });
    hazelcast.getLifecycleService().addLifecycleListener(e -> {
      // This member was on the smaller side of a split and has joined the larger one: its hubs were merged into
      // the owners' copies (cluster.HubStateMerge), which must look at them afresh.
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
        log.warn("rejoined the cluster after a split ({} members); hub states merged", hazelcast.getCluster().getMembers().size());
        sweeper.reindexSoon();
      }
    });
    status = new NodeStatus(config, stats, outbox, owned, receipts::size, publisher::connected, publisher.target());
    status.showInvocations(hubs.invocations());
    status.showBoot(bootId);
    status.showRecipients(outbox.order());
    status.showQuorum(quorum);
    metrics.bindQuorum(quorum);
    LostHubPartitions lostHubs = LostHubPartitions.watch(hazelcast);
    status.showLostHubPartitions(lostHubs::lost);
    metrics.bindLostHubPartitions(lostHubs);
    status.showJournal(this::journalJson);
    status.countHubs(hubs::ownedHere);
    status.countSpillCorruptLines(spill::corruptLines);
    metrics.bindBounds(receipts::events, receipts::dropped, hubs::batchesQueued, hubs::batchesRefused, spill::corruptLines);
    metrics.bindJournal(() -> journal.unknownFamilyRecords());
    metrics.bindHubs(hubs::ownedHere);
    metrics.bindState(outbox, owned, publisher::connected);
    metrics.bindInvocations(hubs.invocations());
    metrics.bindEventLoops(eventLoops);
    silences = new SilenceStore(hazelcast, hubs, owned, config, clock::millis);
    metrics.bindSilences(silences);
    inventory = new Inventory(hazelcast, config, clock::millis);
    inventory.bindMetrics(metrics.registry());
    status.showInventory(inventory::status);
    Southbound southbound = new Southbound(config, pipeline, outbox, stats, inventory);
    java.util.function.Consumer<io.vertx.ext.web.Router> reports = rollups();
    digests(events, sink);
    Health health = new Health(vertx, eventLoops, EVENT_LOOP_BLOCKED_AFTER, hazelcast, status, () -> started,
        () -> journal.writeFailures() == 0);
    Console console = new Console(config.console(), status, stats, owned);
    console.bindMetrics(metrics.registry());
    httpApi = new HttpApi(config.bindHost(), config.httpPort(), status, List.of(
        southbound::mountHttp,
        new PolicyApi(vertx, policy)::mount,
        new PreviewApi(vertx, preview)::mount,
        health::mount,
        console::mount,
        new SilenceRoutes(silences, config.silences(), clock::millis)::mount,
        new InventoryRoutes(inventory)::mount,
        router -> router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry())),
        reports),
        southbound.httpGuard());
    return vertx.executeBlocking(() -> {
          ClusterSchemas.share(hazelcast, policy.get()); // before the first alert: see ClusterSchemas
          // Before the first notice: the storms a crash left open are ended, the ends it left undelivered sent.
          for (RegionalEvent.Ended owed : openStorms.leftByLastRun(clock.millis())) sink.regionalNotice(owed);
          return openJournal(hubs);
        }, false)
        .compose(v -> silences.start(vertx)) // before the intakes: the first alerts meet the silences in force
        .compose(v -> inventory.start(vertx)) // likewise: the first alerts without a dmc get their device's
        .compose(v -> vertx.deployVerticle(sweeper))
        .compose(id -> {
          sweeperDeployment = id;
          // Before the intakes: a member starting in a storm takes the region's backgrounds, not the storm's.
          BackgroundExchange backgrounds = new BackgroundExchange(new SharedBackgrounds(hazelcast), owned.regional(),
              policy, clock, owned.member()::members, config.dataDir());
          status.showRegionalBackgrounds(backgrounds::seededFrom);
          return vertx.deployVerticle(backgrounds);
        })
        .compose(id -> {
          return rollupFlusher == null ? Future.succeededFuture((String) null) : vertx.deployVerticle(rollupFlusher);
        })
        .compose(id -> {
          rollupDeployment = id;
          return registerRecompute == null ? Future.succeededFuture((String) null) : vertx.deployVerticle(registerRecompute);
        })
        .compose(id -> {
          registerDeployment = id;
          return digests == null ? Future.succeededFuture((String) null) : vertx.deployVerticle(digests);
        })
        .compose(id -> {
          digestsDeployment = id;
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
  /** This run's duplicates and rejected, held by the cluster for the members that stay if this one is killed. */
  private SharedBootCounts sharedCounts;

  /**
   * The rollups (src/docs/design.md, "Rollups"): counted as every outcome is, flushed to the shared map and the
   * store; their reports' routes. Off: nothing is counted and the reports say so.
   */
  private java.util.function.Consumer<io.vertx.ext.web.Router> rollups() {
    NodeConfig.Rollups r = config.rollups();
    if (!r.enabled()) return router -> {
      ReportRoutes.mountOff(router);
      RegisterRoutes.mountOff(router);
    };
    sketches = new Sketches(r.distinctPrecision(), r.topItems());
    AlertRollups rollups = new AlertRollups(config.nodeId() + "/" + bootId, sketches, clock::millis, r.maxCells(), r.hourGrace());
    stats.outcomesTo(rollups);
    owned.stormingDevicesTo(rollups::deviceStorming); // marked where the hub is decided: its owner
    rollupFlusher = new RollupFlusher(rollups, hazelcast, () -> RollupStore.open(r.storeUrl(), r.storeUsername(), r.password()),
        new RollupFlusher.Settings(r.flushInterval(), r.shareFor(), r.sweepInterval(), r.hourlyRetention(), r.dailyRetention()),
        clock::millis);
    ReportRoutes reports = new ReportRoutes(rollupFlusher, sketches, clock::millis, r.hourlyRetention());
    // The register of storm-causing device models, computed from the stored rollups (design.md).
    NodeConfig.Register g = config.register();
    Annotations annotations = new Annotations(hazelcast);
    registerRecompute = new RegisterRecompute(rollupFlusher, sketches,
        new StormRegister(new Certainty(g.suspectedFdr(), g.confirmedFdr(), g.minRateRatio(), g.minDevices()),
            java.util.List.of(AlertRollups.OTHER_DMC)),
        annotations, g.window(), g.recomputeEvery(), clock::millis);
    registerRecompute.bindMetrics(metrics.registry());
    RegisterRoutes register = new RegisterRoutes(registerRecompute, annotations, rollupFlusher, clock::millis);
    return router -> {
      reports.mount(router);
      register.mount(router);
    };
  }

  /**
   * The digests per recipient (src/docs/design.md, "Digests"), built from the rollups: none when either is off.
   * Every storm queued on this member is noted for them, cluster-wide.
   */
  private void digests(EventFactory events, OutboxSink sink) {
    NodeConfig.Digests d = config.digests();
    if (rollupFlusher == null || !d.enabled()) return;
    StormLedger ledger = new StormLedger(hazelcast, Digests.keepMillis(d));
    sink.stormsTo(ledger);
    digests = new Digests(d, hazelcast, rollupFlusher, sketches, config.recipients(), events, outbox, ledger, clock::millis,
        config.dataDir());
    metrics.bindDigests(digests.recipientNames(), digests::published);
    metrics.bindDigestEmails(DigestMail.RESULTS, digests::emails);
  }

  /** The digests, null when they are off (tests check through it). */
  public Digests digests() {
    return digests;
  }

  /** The rollups' flusher, null when they are off (tests flush through it). */
  public RollupFlusher rollupFlusher() {
    return rollupFlusher;
  }

  /**
   * Opens the journal and, on a member alone (a single node, or the first member of a cluster that was down whole),
   * puts back what it held before the intakes open: every acknowledged alert's hub state, the group records, and the
   * counts of earlier runs. A member joining a running cluster takes the cluster's state instead; only the counts of
   * its earlier runs are kept. Blocking: reads the data directory.
   */
  private Void openJournal(HubStateStore hubs) throws java.io.IOException {
    boolean alone = hazelcast.getCluster().getMembers().size() == 1;
    java.nio.file.Path journalDir = config.dataDir().resolve(Journal.DIRECTORY);
    boolean on = config.durability().journalFor(alone);
    if (!on && Journal.keptIn(journalDir)) Journal.forgetKept(journalDir); // a memory this run would not keep up
    if (!on && Journal.leftIn(journalDir)) {
      // What an earlier run acknowledged is there, whatever this run's setting: read, not left behind.
      log.warn("journal: {} holds the journal of an earlier run that did not stop cleanly; it is read, and this run"
          + " journals too so that nothing it held is lost (a clean stop removes it)", journalDir);
      on = true;
    }
    journal = on ? Journal.open(journalDir, config.durability()) : Journal.off();
    if (!on) warnWhenAloneWithoutJournal();
    counts = new CountsJournal(journal, stats, config.nodeId(), bootId);
    sharedCounts = new SharedBootCounts(hazelcast, stats, config.nodeId(), bootId, () -> heartbeats == null ? 0 : heartbeats.sequence());
    stats.beforeAcknowledge(this::beforeAcknowledge);
    HubJournal hubJournal = new HubJournal(journal, config.durability().changesPerImage());
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

  /**
   * A member that joined a running cluster journals nothing (its hubs are backed up); once the others have left, a
   * crash of it would lose what it acknowledged: said, so that an operator scaling down to one knows to restart it.
   */
  private void warnWhenAloneWithoutJournal() {
    hazelcast.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {}

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
        if (event.getMembers().size() == 1) {
          log.warn("journal: this member is now alone and journals nothing (it joined a running cluster, durability"
              + ".journal {}): until another member joins, a crash loses what it acknowledges; restart it to journal",
              config.durability().whenAlone() ? "auto" : "off");
        }
      }
    });
  }

  private boolean journalStopped() {
    return journal != null && journal.writeFailures() > 0;
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
    io.vertx.core.json.JsonObject unknown = new io.vertx.core.json.JsonObject();
    journal.unknownFamilies().forEach((code, n) -> unknown.put(String.valueOf(code), n));
    return out.put("bootId", counts.bootId()).put("records", journal.appended()).put("bytes", journal.appendedBytes())
        .put("earlierBoots", earlier).put("earlierDuplicates", duplicates).put("earlierRejected", rejected)
        .put("unknownFamilyRecords", journal.unknownFamilyRecords()).put("unknownFamilies", unknown)
        .put("writeFailures", journal.writeFailures())
        .put("damagedBytesSkipped", journal.recovered().damagedBytes());
  }

  /**
   * Graceful stop, within {@code node.stopTimeout}: refuse new input and let alerts in flight finish. A member that
   * leaves others behind stops publishing, lets the broker take what it already sent or queued, hands the receipts
   * back to the hubs, and leaves: the events still waiting stay in the hubs' state and migrate with them to their
   * new owners. The last member instead emits its open periods and groups, drains what it can, and spills the rest
   * to disk. A member is the last when every other one is leaving too ({@link LeavingMembers}). Every phase gets
   * at most what is left of the budget, whatever the broker or the cluster do; the spill is written whatever
   * happens before it (and {@link #spillNow} writes it if the budget runs out first).
   */
  public Future<Void> stop() {
    if (vertx == null) return Future.succeededFuture();
    started = false;
    if (statusTimer >= 0) vertx.cancelTimer(statusTimer);
    if (handOverTimer >= 0) vertx.cancelTimer(handOverTimer);
    StopBudget budget = new StopBudget(config.stopTimeout().minus(SPILL_RESERVE));
    Future<Void> intakesClosed = Future.succeededFuture();
    for (String id : intakeDeployments) {
      intakesClosed = intakesClosed.compose(v -> budget.bound("closing an intake", vertx.undeploy(id)));
    }
    LeavingMembers leaving = new LeavingMembers(hazelcast);
    // Composed after the undeploys so that the blocking call is made from this node's own Vert.x threads (called
    // from a foreign thread, executeBlocking may pick another Vert.x instance's sticky context in the same JVM).
    return intakesClosed
        .compose(v -> budget.bound("telling the cluster this member leaves", vertx.executeBlocking(leaving::leave, false)))
        .recover(e -> {
          log.warn("cannot tell the cluster that this member is leaving ({}); going by the member list", e.toString());
          return Future.succeededFuture(hazelcast.getCluster().getMembers().size() == 1);
        })
        .compose(isLast -> {
          last = isLast;
          return drainAndLeave(isLast, leaving, budget);
        });
  }

  /**
   * What the stop keeps for writing the spill after its orderly phases: {@link #spillNow} starts this long before
   * {@code node.stopTimeout} ends, and the orderly phases end this long before that.
   */
  public static final Duration SPILL_RESERVE = Duration.ofSeconds(3);

  /** How long the last member waits for the others to hand their partitions over before its final flush. */
  private static final Duration LAST_MEMBER_WAIT = Duration.ofSeconds(30);
  /** How long the stop waits for the alerts being decided. */
  private static final Duration UNDECIDED_WAIT = Duration.ofSeconds(10);

  private Future<Void> drainAndLeave(boolean last, LeavingMembers leaving, StopBudget budget) {
    // With the journal stopped, the state in memory holds decisions never acknowledged: the stop is a crash's, and the
    // next start restores what the journal kept (nothing flushed, drained or spilled).
    boolean fromJournal = journalStopped();
    if (fromJournal) {
      log.error("node {} stopping with its journal stopped: nothing is flushed or spilled; the journal in {} is kept and"
          + " the next start restores from it", config.nodeId(), config.dataDir().resolve(Journal.DIRECTORY));
    }
    log.info("node {} stopping: intake closed, draining{}", config.nodeId(), last ? " (last member: flushing open periods)" : "");
    return waitUntil(() -> stats.undecided() <= 0, budget.atMost(UNDECIDED_WAIT))
        .compose(v -> last && !fromJournal ? budget.bound("flushing open periods", flushEverything(leaving, budget))
            : Future.succeededFuture())
        .recover(e -> Future.succeededFuture())
        .compose(v -> {
          // After the last sweep, before the final heartbeat: this member's bursts end with their totals, not never.
          if (!fromJournal) owned.regional().endAll(clock.millis());
          owned.publishTo(null);
          if (fromJournal) return Future.succeededFuture();
          if (heartbeats != null) heartbeats.last(); // after every decision and flush: its totals are final for this boot
          return waitUntil(() -> outbox.depth() == 0, budget.atMost(config.outbox().drainTimeout()));
        })
        // hands the last receipts back to the hubs
        .compose(v -> budget.bound("handing receipts back", vertx.undeploy(sweeperDeployment)))
        .transform(ar -> budget.bound("stopping the publisher", vertx.undeploy(publisherDeployment)))
        .transform(ar -> silences == null ? Future.succeededFuture() : budget.bound("writing the silences", silences.stop()))
        .transform(ar -> inventory == null ? Future.succeededFuture() : budget.bound("leaving the inventory", inventory.stop()))
        .transform(ar -> registerDeployment == null ? Future.succeededFuture()
            : budget.bound("stopping the register", vertx.undeploy(registerDeployment)))
        .transform(ar -> digestsDeployment == null ? Future.succeededFuture()
            : budget.bound("stopping the digests", vertx.undeploy(digestsDeployment)))
        // stores what was counted since the last flush, while the cluster is still there
        .transform(ar -> rollupDeployment == null ? Future.succeededFuture()
            : budget.bound("storing the rollups", vertx.undeploy(rollupDeployment)))
        .transform(ar -> budget.boundWithReserve("writing the spill", vertx.executeBlocking(() -> {
          openStorms.close(); // its last write: the regional storms whose end the broker has not taken
          // A clean stop owes nothing more once flushed and spilled, or handed over; a spill that failed (a full
          // disk) leaves the journal for the next start to restore what the spill would have held. The last member
          // keeps it, marked, for its hubs' memory: without it the next start would forward every storming hub's
          // alerts again until each storms anew, and resent headers as new.
          // What only this member holds goes to the members that stay; the last member spills it with the rest.
          if (Boolean.FALSE.equals(last) && !journalStopped() && handOver()) forgetSharedCounts();
          if (spillNow()) {
            if (last) journal.closeAfterCleanStop();
            else journal.discard();
          }
          return null;
        })))
        .transform(ar -> {
          if (ar.failed()) log.error("the spill could not be written: {}", ar.cause().toString());
          return broker == null ? Future.succeededFuture() : budget.bound("stopping the embedded broker", broker.stop(vertx));
        })
        .transform(ar -> budget.bound("leaving the cluster", vertx.close()))
        .onComplete(ar -> {
          releaseDataDirectory();
          log.info("node {} stopped: {}", config.nodeId(), status.line());
        })
        .recover(e -> Future.succeededFuture())
        .mapEmpty();
  }

  /**
   * Takes what the outbox still holds and writes the spill, once: by the stop's own path, or by the shutdown hook
   * when {@code node.stopTimeout} runs out first (the publisher may still be running: the outbox lets go safely).
   * The last member spills everything; one that leaves others behind only what came from an earlier spill (the
   * rest stays in its hubs' state), and one that never learnt which it is spills everything (a repeat at worst).
   * Blocking.
   */
  public synchronized boolean spillNow() {
    if (spilled || outbox == null) return spillWritten;
    spilled = true;
    if (journalStopped()) return false; // the journal is kept whole for the next start: see drainAndLeave
    boolean everything = !Boolean.FALSE.equals(last);
    int waiting = outbox.depth(); // before the outbox lets go of them: what a failed spill leaves to the journal
    try {
      OutboxSpill.Spilled s = spill.write(outbox, everything, replay);
      if (s.written() > 0) log.warn("{} events not yet taken by the broker were spilled to {}", s.written(), spill.file());
      if (!everything && s.drained() > 0) {
        log.info("{} events not yet delivered stay with their hubs for the members that take them over", s.drained());
      }
      spillWritten = true;
    } catch (java.io.IOException e) {
      if (journal != null && journal.on()) {
        log.error("cannot write the spill {}: {}; the journal is kept, and the next start restores the hubs and sends"
            + " again the {} events that were waiting (free the disk first)", spill.file(), e.toString(), waiting);
      } else {
        log.error("cannot write the spill {}: {}; {} events are lost with this stop (durability.journal is off)",
            spill.file(), e.toString(), waiting);
      }
    }
    return spillWritten;
  }

  /**
   * Blocking: hands this member's own undelivered events (heartbeats, regional notices) to the members that stay;
   * false if it could not.
   */
  private boolean handOver() {
    if (handedOver == null) return false; // stopped before it could decide anything: nothing of its own to hand over
    try {
      handedOver.handOver(memberLocal.undelivered());
      return true;
    } catch (RuntimeException e) {
      log.error("cannot hand this member's undelivered heartbeats and regional notices to the cluster ({}); they are lost"
          + " with this stop, and the DSP's equation lacks this boot's last totals", e.toString());
      return false;
    }
  }

  /** Blocking: this run's final heartbeat is delivered or handed over, so the cluster need not send one for it. */
  private void forgetSharedCounts() {
    if (sharedCounts == null) return;
    try {
      sharedCounts.forget();
    } catch (RuntimeException e) {
      log.warn("cannot remove this run's counts from the cluster ({}); a member that stays sends its last heartbeat"
          + " again from them", e.toString());
    }
  }

  /**
   * Blocking: what members that left owe the feed, taken into this member's outbox where it owns their entries: the
   * events they handed over, and the last heartbeat of those killed.
   */
  private int takeWhatMembersLeft() {
    return handedOver.takeOwned(outbox) + sharedCounts.sendForMembersGone(heartbeats);
  }

  /**
   * What an acknowledgement waits for: the journal's counts and records (a node alone), and this run's counts in the
   * cluster (a member among others).
   */
  private Future<Void> beforeAcknowledge(io.vertx.core.Context context) {
    Future<Void> journaled = counts.beforeAcknowledge(context);
    Future<Void> held = sharedCounts.beforeAcknowledge(context);
    if (held.succeeded()) return journaled;
    if (journaled.succeeded()) return held;
    return Future.all(journaled, held).mapEmpty();
  }

  /** What is left of the stop's time; each phase gets at most that, and a phase that runs out is given up. */
  private final class StopBudget {
    private final long deadline;

    StopBudget(Duration total) {
      this.deadline = System.nanoTime() + total.toNanos();
    }

    Duration left() {
      return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    Duration atMost(Duration wanted) {
      Duration left = left();
      return wanted.compareTo(left) < 0 ? wanted : left;
    }

    /** As {@link #bound}, with {@link #SPILL_RESERVE} more: the time kept for this very phase. */
    <T> Future<T> boundWithReserve(String phase, Future<T> work) {
      return work.timeout(left().plus(SPILL_RESERVE).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .onFailure(e -> log.warn("stop: {} given up ({}); going on", phase, e.toString()));
    }

    <T> Future<T> bound(String phase, Future<T> work) {
      return work.timeout(Math.max(1, left().toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)
          .onFailure(e -> log.warn("stop: {} given up ({}); going on", phase, e.toString()));
    }
  }

  /**
   * The last member: once the others have handed their partitions over, every hub is indexed and every open period
   * and group is emitted now, and given a moment to be sealed and queued.
   */
  private Future<Void> flushEverything(LeavingMembers leaving, StopBudget budget) {
    long deadline = System.nanoTime() + budget.atMost(config.outbox().drainTimeout()).toNanos();
    Duration patience = budget.atMost(LAST_MEMBER_WAIT);
    return vertx.executeBlocking(() -> {
      leaving.awaitAlone(patience);
      takeWhatMembersLeft(); // what members that left before handed over or were killed with: published or spilled with the rest
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
        // Sealed groups wait in the outbox (spilled below); open shares are in the journal when it is on.
        boolean kept = journal != null && journal.on();
        log.warn("last member: {} hubs still in open groups ({} alerts) and {} in groups being delivered after "
            + "outbox.drainTimeout {}: {}", held.grouping(), held.heldInGroups(), held.sealed(),
            config.outbox().drainTimeout(), kept ? "the groups being delivered are spilled and the open shares stay in"
                + " the journal for the next start" : "the groups being delivered are spilled; the open shares are lost"
                + " with this member (durability.journal is off)");
        if (!kept && held.grouping() > 0) log.error("last member: {} alerts in open groups lost with this stop", held.heldInGroups());
        return Future.succeededFuture();
      }
      return vertx.timer(config.sweepInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .compose(t -> flushUntilNothingHeld(deadline));
    });
  }

  private void releaseDataDirectory() {
    if (dataDirectoryLock != null) dataDirectoryLock.close();
    dataDirectoryLock = null;
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

  /** The paths the HTTP API routes (its OpenAPI document must describe each). */
  public List<String> httpPaths() {
    return httpApi.paths();
  }

  /** Where the upstream events go: the embedded broker's port when no DSP broker is configured. */
  public int upstreamPort() {
    return upstreamPort;
  }

  public Vertx vertx() {
    return vertx;
  }
}
