package org.csp.edge.cluster;

import static org.csp.edge.decision.TestAlerts.ESME;
import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.cluster.state.LocalSerialization;
import org.csp.edge.cluster.state.StateText;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodeMode;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.DmcRule;
import org.csp.edge.decision.DmcRules;
import org.csp.edge.decision.GroupShare;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.Inhibition;
import org.csp.edge.decision.RegionalAnswers;
import org.csp.edge.decision.Silence;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.upstream.UpstreamEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster state of every release stays readable: under src/node/src/test/resources/cluster-state/ each release
 * keeps, for each type that crosses members, a sample it serialized (with its schemas: {@code NAME.bin}) and the
 * canonical text of what it holds ({@code NAME.txt}, {@link StateText#described}). This test reads every sample of
 * every release with the current code, on a serialization service that knows no schema yet, and compares: a
 * release that cannot read its predecessor's state, and so could not roll, fails the build.
 *
 * <p>To keep the samples of a new release (its version, as the chart's appVersion), once, when it is cut:
 * {@code mvn -B -o -pl src/node test -Dtest=ClusterStateSamplesTest -Dcluster-state.write=0.2.0}, and commit the
 * new folder. The samples come from {@link #scenario()}: when a release adds a type that crosses members, add it
 * there (the newest release's samples must cover every sample the scenario builds).
 */
class ClusterStateSamplesTest {
  private static final Path SAMPLES = Path.of("src/node/src/test/resources/cluster-state");
  private static final long T0 = 1_700_000_000_000L;

  /** With {@code -Dcluster-state.write=RELEASE}: this release's samples, written before any test reads them. */
  @BeforeAll
  static void writeWhenAsked() throws IOException {
    String release = System.getProperty("cluster-state.write");
    if (release != null && !release.isBlank()) write(SAMPLES.resolve(release));
  }

  @Test
  void everyReleasesSamplesReadAsTheyWereWritten() throws IOException {
    List<Path> releases;
    try (Stream<Path> dirs = Files.list(SAMPLES)) {
      releases = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(releases.stream().anyMatch(r -> r.getFileName().toString().equals("0.1.0")), "the first release's samples");
    int read = 0;
    for (Path dir : releases) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path bin : files.filter(f -> f.toString().endsWith(".bin")).sorted().toList()) {
          String name = bin.getFileName().toString().replace(".bin", "");
          Object decoded = LocalSerialization.fresh().read(Files.readAllBytes(bin));
          String expected = Files.readString(dir.resolve(name + ".txt"), StandardCharsets.UTF_8);
          assertEquals(expected, StateText.described(decoded), dir.getFileName() + "/" + name + " read by this release");
          read++;
        }
      }
    }
    assertTrue(read >= scenario().size(), "samples read: " + read);
  }

  @Test
  void theNewestReleaseHasASampleOfEverythingTheScenarioBuilds() throws IOException {
    Path newest;
    try (Stream<Path> dirs = Files.list(SAMPLES)) {
      newest = dirs.filter(Files::isDirectory).max((a, b) -> compareVersions(a.getFileName().toString(),
          b.getFileName().toString())).orElseThrow();
    }
    Set<String> kept = new TreeSet<>();
    try (Stream<Path> files = Files.list(newest)) {
      files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".bin")).forEach(f -> kept.add(f.replace(".bin", "")));
    }
    assertEquals(new TreeSet<>(scenario().keySet()), kept, newest.getFileName() + " keeps a sample of each");
  }

  @Test
  void eachSampleIsWhatTheScenarioBuiltAndReadsBackTheSame() {
    scenario().forEach((name, built) -> {
      LocalSerialization writer = LocalSerialization.fresh();
      Object read = LocalSerialization.fresh().read(writer.withSchema(built));
      assertEquals(StateText.described(copyOf(built)), StateText.described(read), name);
    });
  }

  @Test
  void everySerializerHasATypeNameOfItsOwnAndNoClassThatCrossesMembersIsJavaSerializable() throws IOException {
    Set<String> names = new HashSet<>();
    for (CompactSerializer<?> s : ClusterSerializers.all()) {
      assertTrue(s.getTypeName().startsWith("csp."), s.getTypeName() + ": a stable name, not the class's");
      assertTrue(names.add(s.getTypeName()), "one serializer per type name: " + s.getTypeName());
      assertFalse(declaresSerializable(s.getCompactClass()), s.getCompactClass() + " implements java.io.Serializable");
    }
    // Nothing of the product is Java-serializable (enums and exceptions are, by the language).
    Path classes = Path.of(HubState.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    List<String> serializable = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(f).toString().replace(".class", "").replace('/', '.');
        Class<?> c;
        try {
          c = Class.forName(name, false, getClass().getClassLoader());
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
          continue;
        }
        if (declaresSerializable(c) && !c.isEnum() && !Throwable.class.isAssignableFrom(c)) {
          serializable.add(c.getName());
        }
      }
    }
    assertEquals(List.of(), serializable, "product classes that implement java.io.Serializable");
  }

  /**
   * Whether the class or one of the product's types it extends implements {@link Serializable}: Hazelcast's own
   * EntryProcessor and Predicate extend it, but what is registered as Compact is written as Compact (asserted for
   * every sample by {@link #everySampleIsCompactWithItsSchema}).
   */
  private static boolean declaresSerializable(Class<?> c) {
    if (c == null || !c.getName().startsWith("org.csp.")) return false;
    for (Class<?> i : c.getInterfaces()) if (i == Serializable.class || declaresSerializable(i)) return true;
    return declaresSerializable(c.getSuperclass());
  }

  @Test
  void everySampleIsCompactWithItsSchema() {
    scenario().forEach((name, built) -> assertEquals(SerializationConstants.TYPE_COMPACT_WITH_SCHEMA,
        new HeapData(LocalSerialization.fresh().withSchema(built)).getType(), name + ": written as Compact"));
  }

  /** The scenario's objects are changed by describing them (a hub's probe): describe a fresh copy. */
  private static Object copyOf(Object built) {
    return LocalSerialization.copied(built);
  }

  private static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, Object> e : scenario().entrySet()) {
      byte[] bytes = LocalSerialization.fresh().withSchema(e.getValue());
      Files.write(dir.resolve(e.getKey() + ".bin"), bytes);
      // The text of what a fresh reader makes of it: written and read by this release, so equal to the object built.
      Files.writeString(dir.resolve(e.getKey() + ".txt"), StateText.described(LocalSerialization.fresh().read(bytes)),
          StandardCharsets.UTF_8);
    }
  }

  private static int compareVersions(String a, String b) {
    String[] x = a.split("\\."), y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }

  /** One of each thing that crosses members, built the same way every time. */
  static Map<String, Object> scenario() {
    CodePolicy forward = new CodePolicy(CodeMode.FORWARD, 10, Duration.ofSeconds(60), 3, Duration.ofMinutes(10),
        Duration.ofMinutes(15), 200, Duration.ofSeconds(10), 50, Duration.ofMillis(2500));
    DmcRules models = new DmcRules(List.of(new DmcRule("ACME", "GPF-1", DmcRule.ANY, forward, Map.of("8F12", CodePolicy.DEFAULTS))));
    AlertPolicy policy = new AlertPolicy(CodePolicy.DEFAULTS, Map.of("8F3E", forward, "0001", CodePolicy.DEFAULTS),
        Duration.ofHours(24), 32, 500, 100, 64, 64, models, List.of(REBOOT_RULE));
    List<Silence> silences = List.of(SILENCE);
    List<Alert> batch = List.of(alert(HUB, GPF, "8F12", 7, T0), alert(HUB, ESME, "8F3E", Long.MIN_VALUE, T0 + 1),
        new Alert(HUB, ESME, "ESME", "0001", 9, "2023-11-14T22:13:20.002Z", T0 + 2, null, "{\"raw\":1}"));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("hub-state-storming", stormingHub());
    HubState quiet = new HubState();
    quiet.apply(HUB, 1, List.of(alert(HUB, GPF, "8F12", 1, T0)), T0, StateText.probePolicy(), RegionalGate.NEVER);
    s.put("hub-state-packed", quiet);
    s.put("hub-state-new", new HubState());
    s.put("hub-state-muted", mutedHub());
    s.put("decide-alerts", new DecideAlertsOperation(42, batch, T0, policy, silences));
    s.put("decide-alerts-backup", DecideAlertsOperation.restored(42, batch, T0, policy, silences,
        new RegionalAnswers(new long[] {(1L << 20) | 3, (2L << 20) | 2})));
    s.put("decide-on-owner", new DecideOnOwnerTask(new String[] {HUB, "00-1B-C5-0C-00-00-00-09"}, new long[] {42, -43},
        List.of(batch, List.of(alert("00-1B-C5-0C-00-00-00-09", GPF, "8F12", 8, T0))), T0, policy, silences));
    s.put("settle-hub", SettleHubOperation.restored(T0, policy, true, true));
    s.put("announce-waiting", new AnnounceWaitingOperation(policy));
    Map<String, Set<String>> delivered = new LinkedHashMap<>();
    delivered.put(HUB, Set.of("alert:" + GPF + ":8F12:7", "storm-start:" + HUB + ":8F3E:" + T0));
    delivered.put("00-1B-C5-0C-00-00-00-09", Set.of("summary:00-1B-C5-0C-00-00-00-09:0001:" + T0 + ":1"));
    s.put("delivered-events", DeliveredEventsOperation.restored(delivered, policy, false));
    ShareStepOperation seal = new ShareStepOperation(ShareStepOperation.Step.SEAL, "0001", "group:0001:node-a:1", "node-a", policy);
    s.put("share-step", seal);
    s.put("share-steps-on-owner", new ShareStepsOnOwnerTask(new String[] {HUB, "00-1B-C5-0C-00-00-00-09"},
        ShareStepOperation.restored(ShareStepOperation.Step.RELEASE, "0001", "group:0001:node-a:1", "node-a", policy, true)));
    s.put("forget-idle-hubs", new ForgetIdleHubsOperation(T0 - 90_000_000L));
    s.put("idle-hubs", new ForgetIdleHubsOperation.Idle(T0 - 90_000_000L));
    s.put("needs-attention", new NeedsAttention(policy));
    s.put("group-share", new GroupShare("0001", 12, T0, T0 + 1900));
    s.put("sealed-group", SealedGroup.of(new UpstreamEvent("group:0001:node-a:1", "group", "csp/region-1/groups", 15,
        Buffer.buffer("{\"groupId\":\"group:0001:node-a:1\"}")), "node-a", "0001", List.of(HUB, "00-1B-C5-0C-00-00-00-09")));
    return s;
  }

  private static final Inhibition REBOOT_RULE = new Inhibition("reboot", Set.of("8F35"), Set.of("8183"),
      Inhibition.Scope.HUB, Duration.ofMinutes(10));
  private static final Silence SILENCE = new Silence("silence-1", "8F1*", HUB, null, "Acme", "*", null, T0 - 1000,
      T0 + 3_600_000);

  /** A hub holding alerts for a silence and for an inhibition (one device with DMC, one without). */
  private static HubState mutedHub() {
    AlertPolicy policy = new AlertPolicy(CodePolicy.DEFAULTS, Map.of(), Duration.ofHours(24), 32, 500, 100, 64, 64, org.csp.edge.decision.DmcRules.NONE,
        List.of(REBOOT_RULE));
    HubState hub = new HubState();
    Dmc acme = new Dmc("Acme", "E1", "1.0");
    hub.apply(HUB, 1, List.of(alert(HUB, GPF, "8F35", 1, T0), alert(HUB, ESME, "8183", 2, T0 + 1),
        new Alert(HUB, ESME, "ESME", "8F12", 3, "2023-11-14T22:13:20.002Z", T0 + 2, acme, null)), T0 + 2, policy,
        List.of(SILENCE), RegionalGate.NEVER);
    assertTrue(hub.nextDueAt(policy) != Long.MAX_VALUE, "held periods due");
    return hub;
  }

  /**
   * A hub in storm on one code (devices with and without DMC), another code under its threshold, a batch too large
   * to pack its verdicts, events waiting, a share open and one sealed.
   */
  private static HubState stormingHub() {
    AlertPolicy policy = StateText.probePolicy();
    HubState hub = new HubState();
    String third = "00-1B-C5-0C-00-00-00-04";
    long counter = 0;
    long now = T0;
    int[] asked = {0};
    RegionalGate everyThird = (code, h, at, p) -> code.equals("0001") && asked[0]++ % 3 == 0;
    for (int i = 0; i < 12; i++, now += 200) {
      List<Alert> batch = new ArrayList<>();
      batch.add(alert(HUB, i % 2 == 0 ? GPF : ESME, "8F3E", ++counter, now));
      batch.add(new Alert(HUB, third, "PPMID", "0001", ++counter, java.time.Instant.ofEpochMilli(now).toString(), now,
          i % 2 == 0 ? null : new Dmc("Other", "PPMID-1", "0.9"), null));
      if (i == 4) for (int k = 0; k < 30; k++) batch.add(alert(HUB, GPF, "8F3E", ++counter, now));
      hub.apply(HUB, 100 + i, batch, now, policy, everyThird);
    }
    assertNotNull(hub.seal("0001", "group-1", "member-a"));
    hub.apply(HUB, 200, List.of(new Alert(HUB, third, "PPMID", "0002", ++counter, "x", now, null, null)), now, policy,
        (c, h, a, p) -> true);
    assertTrue(hub.nextDueAt(policy) != Long.MAX_VALUE, "in storm");
    assertFalse(hub.waiting().isEmpty(), "events waiting");
    return hub;
  }
}
