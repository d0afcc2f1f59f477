package org.csp.edge.ops;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.cluster.ClusterInvocations;
import org.csp.edge.cluster.Quorum;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.security.Drop;
import org.csp.edge.security.Intake;
import org.csp.edge.security.Refusal;
import org.csp.edge.security.SecurityStats;
import org.csp.edge.upstream.FairShare;
import org.csp.edge.upstream.Outbox;
import org.csp.edge.upstream.OutboxSpill;

/**
 * The node's Prometheus metrics (names in src/docs/operations.md and in the chart's dashboard). Counters are read
 * from {@link NodeStats} at scrape time, so the hot path pays for one adder, not for a meter look-up. Tags are
 * bounded: never a hub or device id; alert codes at most {@link NodeStats#MAX_CODES_TRACKED}.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry;

  public NodeMetrics(String region, String nodeId) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("region", region, "node", nodeId);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    String version = NodeMetrics.class.getPackage().getImplementationVersion();
    gauge("csp.build.info", "1, labelled with the node's version and Java runtime", registry, r -> 1,
        "version", version == null ? "development" : version, "java", Runtime.version().toString());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** From a publish to its PUBACK. */
  public Timer publishLatency() {
    return Timer.builder("csp.upstream.publish").description("time from an upstream publish to the broker's PUBACK")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** Sources of function counters that nothing else holds: Micrometer keeps only weak references to them. */
  private final java.util.List<Object> held = new java.util.ArrayList<>();

  public void bindAccounting(NodeStats stats) {
    counter("csp.alerts.received", "alerts taken in, by intake", stats, s -> s.receivedMqtt.sum(), "intake", "mqtt");
    counter("csp.alerts.received", "alerts taken in, by intake", stats, s -> s.receivedHttp.sum(), "intake", "http");
    String outcome = "what became of each alert received";
    counter("csp.alerts.outcome", outcome, stats, s -> s.forwarded.sum(), "outcome", "forwarded");
    counter("csp.alerts.outcome", outcome, stats, s -> s.consolidated.sum(), "outcome", "consolidated");
    counter("csp.alerts.outcome", outcome, stats, s -> s.grouped.sum(), "outcome", "grouped");
    counter("csp.alerts.outcome", outcome, stats, s -> s.silenced.sum(), "outcome", "silenced");
    counter("csp.alerts.outcome", outcome, stats, s -> s.inhibited.sum(), "outcome", "inhibited");
    counter("csp.alerts.outcome", outcome, stats, s -> s.duplicates.sum(), "outcome", "duplicate");
    counter("csp.alerts.outcome", outcome, stats, NodeStats::rejectedTotal, "outcome", "rejected");
    for (RejectReason r : RejectReason.values()) {
      counter("csp.alerts.rejected", "alerts refused, by reason", stats, s -> s.rejectedCount(r), "reason", r.wireName());
    }
    for (String type : NodeStats.EVENT_TYPES) {
      counter("csp.upstream.events", "events queued for upstream, by type", stats, s -> s.eventsQueuedOfType(type), "type", type);
    }
    counter("csp.upstream.delivered", "events acknowledged by the upstream broker", stats, s -> s.eventsDelivered.sum());
    counter("csp.upstream.resent", "events sent again after a lost connection or ack time-out", stats, s -> s.eventsResent.sum());
    counter("csp.dead.letter.events", "events the upstream broker refused, kept in the dead letters", stats,
        s -> s.deadLettered.sum());
    counter("csp.dead.letter.alerts", "alerts accounted for by dead-lettered events (the sum of their counts)", stats,
        s -> s.deadLetteredAlerts.sum());
    counter("csp.upstream.connections.lost", "established connections to the upstream broker that were lost", stats,
        s -> s.upstreamConnectionsLost.sum());
    counter("csp.mqtt.acks.held", "QoS 1 acknowledgements held back by back-pressure", stats, s -> s.acksHeld.sum());
    gauge("csp.mqtt.acks.pending", "QoS 1/2 messages taken on MQTT connections and not acknowledged yet", stats,
        s -> s.acksOwed.sum());
    counter("csp.mqtt.acks.overflowed", "MQTT connections closed at limits.maxPendingAcksPerConnection", stats,
        s -> s.acksOverflowed.sum());
    counter("csp.mqtt.reads.paused", "times an MQTT connection was no longer read because its client did not read the"
        + " answers past limits.maxPendingOutputBytesPerConnection", stats, s -> s.mqttReadsPaused.sum());
    gauge("csp.mqtt.connections.reads.paused", "MQTT connections not read now: their clients do not read the answers",
        stats, s -> s.mqttConnectionsPaused.sum());
    counter("csp.http.backpressure.refused", "HTTP bodies answered 503 unread while the outbox was full (back-pressure)",
        stats, s -> s.httpBackPressured.sum());
    counter("csp.mqtt.acks.paced", "QoS 1/2 acknowledgements delayed to hold a connection to its rate limit", stats,
        s -> s.acksPaced.sum());
    stats.onNewAlertCode(code -> bindCode(stats, code));
    bindSecurity(stats.security);
  }

  /**
   * One alert code's received alerts, outcomes and storms. The label is bounded: the first
   * {@link NodeStats#MAX_CODES_TRACKED} codes seen by name, every later one as "other".
   */
  private void bindCode(NodeStats stats, String code) {
    counter("csp.alerts.received.by.code", "valid alerts received, by alert code", stats,
        s -> s.receivedOfCode(code), "alert_code", code);
    String outcome = "what became of the valid alerts of each alert code (rejected alerts are counted by reason)";
    counter("csp.alerts.outcome.by.code", outcome, stats, s -> s.countsOf(code).forwarded.sum(), "alert_code", code,
        "outcome", "forwarded");
    counter("csp.alerts.outcome.by.code", outcome, stats, s -> s.countsOf(code).consolidated.sum(), "alert_code", code,
        "outcome", "consolidated");
    counter("csp.alerts.outcome.by.code", outcome, stats, s -> s.countsOf(code).grouped.sum(), "alert_code", code,
        "outcome", "grouped");
    counter("csp.alerts.outcome.by.code", outcome, stats, s -> s.countsOf(code).duplicates.sum(), "alert_code", code,
        "outcome", "duplicate");
    counter("csp.alerts.outcome.by.code", outcome, stats, s -> s.countsOf(code).silenced.sum(), "alert_code", code,
        "outcome", "silenced");
    counter("csp.alerts.outcome.by.code", outcome, stats, s -> s.countsOf(code).inhibited.sum(), "alert_code", code,
        "outcome", "inhibited");
    counter("csp.storms.started.by.code", "hub storms started by this node, by alert code", stats,
        s -> s.countsOf(code).stormsStarted.sum(), "alert_code", code);
    counter("csp.storms.ended.by.code", "hub storms ended by this node, by alert code", stats,
        s -> s.countsOf(code).stormsEnded.sum(), "alert_code", code);
  }

  /**
   * The upstream queues (upstream.FairShare): per recipient, and for the priority lane of forward-mode codes and
   * the node's own events, the events waiting, how long each waited before it was handed to the broker, and those
   * the broker acknowledged. Tags are the configured recipients' names: bounded.
   */
  public void bindRecipients(FairShare order) {
    for (FairShare.Lane lane : order.recipients()) {
      String[] tags = {"recipient", lane.name()};
      gauge("csp.outbox.recipient.waiting", "events waiting in a recipient's upstream queue", lane, FairShare.Lane::waiting, tags);
      gauge("csp.outbox.recipient.oldest.seconds", "how long the oldest event waiting in a recipient's queue has waited",
          lane, FairShare.Lane::oldestSeconds, tags);
      counter("csp.outbox.recipient.sent", "events of a recipient's queue acknowledged by the upstream broker", lane,
          FairShare.Lane::sentCount, tags);
      lane.recordDelaysTo(delayRecorder(delayTimer("csp.outbox.recipient.delay", "time an event of a recipient waited in"
          + " the outbox before it was handed to the broker", tags)));
    }
    FairShare.Lane priority = order.priority();
    gauge("csp.outbox.priority.waiting", "events waiting in the priority lane (forward-mode codes, heartbeats)", priority,
        FairShare.Lane::waiting);
    gauge("csp.outbox.priority.oldest.seconds", "how long the oldest event waiting in the priority lane has waited",
        priority, FairShare.Lane::oldestSeconds);
    counter("csp.outbox.priority.sent", "events of the priority lane acknowledged by the upstream broker", priority,
        FairShare.Lane::sentCount);
    priority.recordDelaysTo(delayRecorder(delayTimer("csp.outbox.priority.delay", "time an event of the priority lane"
        + " waited in the outbox before it was handed to the broker")));
  }

  private java.util.function.LongConsumer delayRecorder(Timer timer) {
    return nanos -> timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private Timer delayTimer(String name, String help, String... tags) {
    return Timer.builder(name).description(help).tags(tags).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
  }

  /** Events spilled to disk at a stop, and read back and queued again at a start. */
  public void bindSpill(OutboxSpill spill) {
    counter("csp.outbox.spilled.events", "events not yet taken by the broker at a stop, written to the spill file",
        spill, s -> s.spilled.sum());
    counter("csp.outbox.spill.replayed.events", "events read back from the spill file at a start and queued again",
        spill, s -> s.replayed.sum());
  }

  /**
   * The intakes' TLS certificate's end of validity (the first of the chain: the node's own), read once: the node
   * serves the certificate it read at its start, so a rotated Secret shows here after the restart that takes it.
   */
  public void bindCertificate(Path certFile) {
    try (InputStream in = Files.newInputStream(certFile)) {
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      double notAfter = cert.getNotAfter().toInstant().getEpochSecond();
      gauge("csp.tls.certificate.expiry.timestamp.seconds", "end of validity of the intakes' TLS certificate, in"
          + " seconds since the epoch", cert, c -> notAfter);
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot read the TLS certificate " + certFile + ": " + e.getMessage(), e);
    }
  }

  /** Refusals, drops, logins and open connections of the security layer; labels are bounded enums only. */
  private void bindSecurity(SecurityStats security) {
    for (Intake intake : Intake.values()) {
      for (Refusal r : Refusal.values()) {
        counter("csp.security.refused", "connections, logins and requests refused by the security layer", security,
            s -> s.refusedCount(intake, r), "intake", intake.label(), "reason", r.wireName());
      }
      for (Drop d : Drop.values()) {
        counter("csp.security.dropped", "connections the node closed itself", security,
            s -> s.droppedCount(intake, d), "intake", intake.label(), "reason", d.wireName());
      }
      gauge("csp.connections", "open client connections, by intake", security, s -> s.open(intake).get(), "intake", intake.label());
    }
    for (SecurityStats.LoginMethod m : SecurityStats.LoginMethod.values()) {
      counter("csp.mqtt.logins", "MQTT logins accepted, by method", security, s -> s.logins(m), "method", m.name().toLowerCase());
    }
  }

  public void bindState(Outbox outbox, OwnedHubs owned, BooleanSupplier upstreamConnected) {
    ScrapedCounts counts = new ScrapedCounts(owned::counts, System::nanoTime);
    gauge("csp.hubs.in.storm", "hubs owned by this member in storm on at least one code", counts, c -> c.get().storming());
    gauge("csp.regional.bursts", "alert codes bursting across this member's hubs", owned, o -> o.regional().bursting());
    gauge("csp.alerts.held.in.groups", "alerts in open group shares of this member's hubs", counts, c -> c.get().heldInGroups());
    gauge("csp.hubs.events.waiting", "hubs owned by this member with events waiting for the broker", counts, c -> c.get().waiting());
    counter("csp.hub.untracked.device.alerts", "alerts from devices past their hub's policy.maxDevicesPerHub (no"
        + " duplicate check; counted under other in summaries)", owned, OwnedHubs::alertsPastDeviceBound);
    counter("csp.hub.untracked.code.alerts", "alerts with codes past their hub's policy.maxCodesPerHub (no hub storm:"
        + " forwarded or grouped)", owned, OwnedHubs::alertsPastCodeBound);
    gauge("csp.outbox.depth.events", "events waiting for the upstream broker's PUBACK", outbox, Outbox::depth);
    gauge("csp.outbox.capacity.events", "outbox depth at which back-pressure starts", outbox, Outbox::capacity);
    gauge("csp.outbox.bytes", "payload bytes of the events waiting for the upstream broker's PUBACK", outbox, Outbox::bytes);
    gauge("csp.outbox.capacity.bytes", "outbox bytes at which back-pressure starts", outbox, Outbox::capacityBytes);
    gauge("csp.backpressure.engaged", "1 while the node holds acknowledgements (outbox full)", outbox, o -> o.congested() ? 1 : 0);
    gauge("csp.upstream.connected", "1 while connected to the upstream broker", upstreamConnected, c -> c.getAsBoolean() ? 1 : 0);
  }

  /**
   * The other bounded queues a client can fill (src/docs/operations.md, "Bounds"): receipts gathered for the hubs,
   * the batches waiting in this member's executor, and the spill's corrupt lines skipped at start.
   */
  public void bindBounds(LongSupplier receiptsGathered, LongSupplier receiptsDropped, LongSupplier batchesQueued,
      LongSupplier batchesRefused, LongSupplier spillCorruptLines) {
    held.addAll(java.util.List.of(receiptsDropped, batchesRefused, spillCorruptLines)); // counters hold them weakly
    gauge("csp.receipts.gathered", "broker receipts gathered for the hubs and not applied yet (node.maxGatheredReceipts)",
        receiptsGathered, LongSupplier::getAsLong);
    counter("csp.receipts.dropped", "broker receipts dropped at node.maxGatheredReceipts (their events are sent again)",
        receiptsDropped, LongSupplier::getAsLong);
    gauge("csp.cluster.batches.queued", "batch tasks waiting in this member's executor queue (NODE_HUB_BATCH_QUEUE)",
        batchesQueued, LongSupplier::getAsLong);
    counter("csp.cluster.batches.refused", "batches of alerts refused by their owner's full executor queue (unavailable)",
        batchesRefused, LongSupplier::getAsLong);
    counter("csp.spill.corrupt.lines", "lines of the outbox spill skipped at start because they were not an event",
        spillCorruptLines, LongSupplier::getAsLong);
  }

  /**
   * The journal's records of families this release does not know (a newer release wrote them: a rollback), passed
   * over at start or dropped by a compaction; what they held is not restored (src/docs/operations.md, "Rolling back a
   * release").
   */
  public void bindJournal(LongSupplier unknownFamilyRecords) {
    held.add(unknownFamilyRecords); // counters hold their source weakly
    counter("csp.journal.unknown.family.records", "journal records of families this release does not know (written"
        + " by a newer release), skipped at start or dropped by a compaction", unknownFamilyRecords, LongSupplier::getAsLong);
  }

  public void bindCluster(HazelcastInstance hazelcast) {
    MigrationsInProgress migrations = new MigrationsInProgress();
    hazelcast.getPartitionService().addMigrationListener(migrations);
    gauge("csp.cluster.migrations.in.progress", "partition migrations planned and not yet completed, in the migration"
        + " the cluster is running (0 when none runs)", migrations, MigrationsInProgress::inProgress);
    gauge("csp.cluster.members", "members of the node's cluster", hazelcast, h -> h.getCluster().getMembers().size());
    gauge("csp.cluster.owned.partitions", "partitions whose primary copy is on this member", hazelcast,
        h -> h.getPartitionService().getPartitions().stream()
            .filter(p -> p.getOwner() != null && p.getOwner().localMember()).count());
  }

  /** The member's quorum (cluster.Quorum): whether its side of the cluster may decide, and what it refused without. */
  public void bindQuorum(Quorum quorum) {
    gauge("csp.cluster.quorum.present", "1 while this member's side of the cluster has the quorum (always without one)",
        quorum, q -> q.present() ? 1 : 0);
    gauge("csp.cluster.quorum.required", "members a side of the cluster needs to decide (1: no quorum)", quorum, Quorum::required);
    counter("csp.cluster.quorum.refused.alerts", "alerts refused for resend because this member's side had no quorum",
        quorum, Quorum::refusedAlerts);
  }

  /** Partitions of the hub state whose every copy was on members that left at once (cluster.LostHubPartitions). */
  public void bindLostHubPartitions(org.csp.edge.cluster.LostHubPartitions lost) {
    counter("csp.cluster.hub.partitions.lost", "partitions of the hub state whose every copy was on members that left at"
        + " once: their hubs' open counts are lost", lost, org.csp.edge.cluster.LostHubPartitions::lost);
  }

  /** Hubs whose state this member owns: what the heap holds (src/docs/operations.md, csp_hubs_tracked). */
  public void bindHubs(LongSupplier hubsTracked) {
    gauge("csp.hubs.tracked", "hubs whose state this member owns (primary copies)", hubsTracked, LongSupplier::getAsLong);
  }

  /**
   * Hazelcast invocations started by this node on the hub map, by kind and by whether the target partition's owner
   * is this member (local) or another (remote: a network round trip). Backup copies are not invocations of this
   * node; csp_cluster_hub_operations_total counts the hub operations, csp_cluster_backup_copies_total the copies
   * their owners made to the partitions' backups (one per configured backup the cluster has a member for).
   */
  public void bindInvocations(ClusterInvocations invocations) {
    for (ClusterInvocations.Kind kind : ClusterInvocations.Kind.values()) {
      for (boolean local : new boolean[] {true, false}) {
        counter("csp.cluster.invocations", "Hazelcast invocations on the hub map started by this node", invocations,
            i -> i.count(kind, local), "kind", kind.label(), "target", local ? "local" : "remote");
      }
    }
    counter("csp.cluster.hub.operations", "operations on single hubs' states started by this node (each is copied"
        + " to the partition's backups in a cluster)", invocations, ClusterInvocations::hubOperations);
    counter("csp.cluster.backup.copies", "copies of this node's hub operations made to the partitions' backups"
        + " (hub operations x the configured backups the cluster has members for)", invocations,
        ClusterInvocations::backupCopies);
  }

  public void bindEventLoops(EventLoopProbe.Readings readings) {
    gauge("csp.eventloop.delay.seconds", "worst lateness of an event-loop timer over the last minute (a read does not"
        + " reset it)", readings, EventLoopProbe.Readings::worstRecentDelaySeconds);
  }

  /** Silences: changes by action (the audit's count) and how many are in force. */
  public void bindSilences(org.csp.edge.silence.SilenceStore silences) {
    org.csp.edge.silence.SilenceAudit audit = silences.audit();
    counter("csp.silence.changes", "silences created and expired through this node, by action", audit,
        a -> a.createdCount(), "action", "create");
    counter("csp.silence.changes", "silences created and expired through this node, by action", audit,
        a -> a.expiredCount(), "action", "expire");
    gauge("csp.silences.in.force", "silences in force or pending, as this member knows them", silences,
        s -> s.inForce());
  }

  /** Digests published by this member (the broker acknowledged them), per recipient: configured names, bounded. */
  public void bindDigests(java.util.List<String> recipients, java.util.function.ToLongFunction<String> published) {
    held.add(published);
    for (String r : recipients) {
      FunctionCounter.builder("csp.digests.published", published, p -> p.applyAsLong(r))
          .description("digests published by this member, by recipient").tags("recipient", r).register(registry);
    }
  }

  /** Digest e-mails by result (sent, failed and tried again, given up): bounded. */
  public void bindDigestEmails(java.util.List<String> results, java.util.function.ToLongFunction<String> count) {
    held.add(count);
    for (String r : results) {
      FunctionCounter.builder("csp.digest.emails", count, c -> c.applyAsLong(r))
          .description("digest e-mails by result: sent, failed (tried again), given_up").tags("result", r).register(registry);
    }
  }

  private <T> void counter(String name, String help, T source, ToDoubleFunction<T> value, String... tags) {
    // Sources are NodeStats, held by the node for its whole life (Micrometer keeps only a weak reference).
    FunctionCounter.builder(name, source, value).description(help).tags(tags).register(registry);
  }

  private <T> void gauge(String name, String help, T source, ToDoubleFunction<T> value, String... tags) {
    // Strong reference: Micrometer holds gauge sources weakly, and a lambda source would be collected (NaN).
    Gauge.builder(name, source, value).description(help).tags(tags).strongReference(true).register(registry);
  }
}
