package org.csp.edge.cluster;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.durability.Journal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the journal encodes on a hub's partition thread before the operation answers, in the Compact form the
 * journal wrote before (HubJournal.image) and in its raw forms (RawHubImage, RawDecision), side by side in one run:
 * a hub whose forwarded alert waits for the broker (each background alert of a regional scenario), a storming hub's
 * periodic image (a one-hub storm over {@link #DEVICES} devices, a summary waiting) and one decision of a batch of
 * {@link #BATCH} alerts. In the cluster package: the forms are its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JournalFormsBenchmark {
  private static final int DEVICES = 500;
  private static final int BATCH = 5;
  private static final long NOW = 1_700_000_000_000L;

  private final HubJournal compact = new HubJournal(Journal.off(), 4);
  private HubState waiting;
  private HubState storming;
  private JournalForms.Decision decision;

  @Setup(Level.Trial)
  public void setUp() {
    // As the bench's generator sends them (AlertParsingBenchmark's alert).
    Alert template = new Alert("00-1B-C5-0C-00-00-00-01", "00-1B-C5-0D-00-00-00-01", "GPF", "8F3E", 1001,
        "2026-12-06T10:00:00.123456Z", NOW, new Dmc("Acme", "GPF-2", "1.0.3"), "AAECAwQFBgcICQ==");
    AlertPolicy policy = AlertPolicy.DEFAULTS;
    Map.Entry<String, HubState> one = new AbstractMap.SimpleEntry<>(template.hubId(), null);
    new DecideAlertsOperation(1, List.of(template), NOW, policy).process(one);
    waiting = one.getValue();
    Map.Entry<String, HubState> storm = new AbstractMap.SimpleEntry<>(template.hubId(), null);
    long op = 1;
    DecideAlertsOperation last = null;
    for (int i = 0; i < DEVICES; i += BATCH) {
      List<Alert> batch = new ArrayList<>();
      for (int k = i; k < i + BATCH; k++) {
        batch.add(new Alert(template.hubId(), String.format("00-1B-C5-0C-00-01-%02X-%02X", k / 256, k % 256),
            template.deviceType(), template.alertCode(), k + 1, template.raisedAt(), template.raisedAtMillis(),
            template.dmc(), template.payload()));
      }
      last = new DecideAlertsOperation(++op, batch, NOW + i, policy);
      last.process(storm);
    }
    storming = storm.getValue();
    if (!storming.storming() || waiting.storming() || waiting.waiting().isEmpty()) {
      throw new IllegalStateException("the hubs are not as described");
    }
    decision = (JournalForms.Decision) JournalForms.of(last.getBackupProcessor(), p -> "policy-key");
  }

  @Benchmark
  public byte[] waitingHubCompact() {
    return compact.image(waiting);
  }

  @Benchmark
  public byte[] waitingHubRaw() {
    return RawHubImage.of(waiting);
  }

  @Benchmark
  public byte[] stormingHubCompact() {
    return compact.image(storming);
  }

  @Benchmark
  public byte[] stormingHubRaw() {
    return RawHubImage.of(storming);
  }

  @Benchmark
  public byte[] decisionCompact() {
    return compact.image(decision);
  }

  @Benchmark
  public byte[] decisionRaw() {
    return RawDecision.of(decision);
  }
}
