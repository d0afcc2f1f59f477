package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Alert;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.TestAlerts;
import org.csp.edge.durability.Journal;
import org.csp.edge.durability.JournalRecord.Family;
import org.csp.edge.durability.JournalRecord;
import org.csp.edge.durability.OpenedJournals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub journal's records read back to exactly the hubs the operations left: a storming hub's operations
 * journaled as their replay form after an image, images again as the changes outweigh them, through segment rolls
 * and compactions, as a process killed at any point leaves them (the journal is never closed here).
 */
class HubJournalTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("summaryPeriod", "2s")));
  private static final long NOW = 1_700_000_000_000L;
  private static final List<String> HUBS = List.of("00-1B-C5-0C-00-00-10-01", "00-1B-C5-0C-00-00-10-02", "00-1B-C5-0C-00-00-10-03");
  private static final int CHANGES_PER_IMAGE = 2;

  @TempDir Path dir;
  private final OpenedJournals journals = new OpenedJournals();

  @AfterEach
  void closeJournals() {
    journals.close();
  }

  private final Map<String, HubState> live = new LinkedHashMap<>();
  private long operationId;

  /** Runs {@code operation} on the hub as its owner does, and journals it as the owner's member would. */
  private void run(HubJournal journal, String hub, HubOperation<?> operation) {
    Map.Entry<String, HubState> entry = new AbstractMap.SimpleEntry<>(hub, live.get(hub));
    operation.process(entry);
    if (entry.getValue() == null) return;
    live.put(hub, entry.getValue());
    journal.hubChanged(hub, entry.getValue(), operation.getBackupProcessor());
  }

  private List<Alert> batch(String hub, int round) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // New devices every round (the storm's device list grows), and every 7th round a header sent again.
      int device = round % 7 == 6 ? i : round * 4 + i;
      String id = String.format("00-1B-C5-0C-00-01-%02X-%02X", device / 256, device % 256);
      alerts.add(TestAlerts.alert(hub, id, "8F3E", round % 7 == 6 ? 1 : round + 1, NOW + round * 100L));
    }
    return alerts;
  }

  @Test
  void hubsComeBackAsTheirLastImageWithTheOperationsAfterItReplayed() throws Exception {
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 16 * 1024, CHANGES_PER_IMAGE);
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, CHANGES_PER_IMAGE);
    for (int round = 0; round < 300; round++) {
      for (String hub : HUBS) {
        run(hubs, hub, new DecideAlertsOperation(++operationId, batch(hub, round), NOW + round * 100L, POLICY));
        if (round % 10 == 9) run(hubs, hub, new SettleHubOperation(NOW + round * 100L, POLICY, false));
        if (round % 50 == 49) run(hubs, hub, new DecideAlertsOperation(operationId, batch(hub, round), NOW, POLICY)); // a retry
      }
    }

    // A crashed process compacts nothing after its death; here the first journal lives on in this JVM, so its
    // compaction, which deletes the segments it folded, must end before the journal is read again.
    journal.awaitCompaction(java.time.Duration.ofSeconds(10));
    Journal reopened = journals.open(dir, settings);
    Map<String, List<JournalRecord>> changes = reopened.recovered().changesAfter(Family.HUB);
    assertEquals(HUBS.size(), changes.size(), "each storming hub's last operations are changes after its image");
    assertEquals(HUBS.size(), reopened.recovered().of(Family.HUB_RAW).size(), "each hub's image in the raw form");
    assertTrue(changes.values().stream().flatMap(List::stream).anyMatch(r -> r.family() == Family.HUB_DECISION)
        && changes.values().stream().flatMap(List::stream).anyMatch(r -> r.family() == Family.HUB_CHANGE),
        "decisions in the raw form, settlements in the Compact one, replayed in their order");
    Map<String, HubState> restored = new HubJournal(reopened, CHANGES_PER_IMAGE).restoredHubs();
    assertEquals(live.keySet(), restored.keySet());
    for (String hub : HUBS) {
      assertTrue(live.get(hub).waiting().size() > 0 && live.get(hub).nextDueAt(POLICY) < Long.MAX_VALUE,
          "the hub storms, with events waiting");
      assertArrayEquals(hubs.image(live.get(hub)), hubs.image(restored.get(hub)), "hub " + hub + " exactly as it was");
    }
  }

  @Test
  void aHubWhoseOperationsAreChangesIsForgottenWithThem() throws Exception {
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 64 * 1024, CHANGES_PER_IMAGE);
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, CHANGES_PER_IMAGE);
    String hub = HUBS.get(0);
    for (int round = 0; round < 20; round++) {
      run(hubs, hub, new DecideAlertsOperation(++operationId, batch(hub, round), NOW + round * 100L, POLICY));
    }
    hubs.hubForgotten(hub);
    live.remove(hub);
    // Operations on the hub after it was forgotten start from an empty hub, as on the member.
    run(hubs, hub, new DecideAlertsOperation(++operationId, batch(hub, 0), NOW, POLICY));
    run(hubs, hub, new DecideAlertsOperation(++operationId, batch(hub, 1), NOW + 100, POLICY));
    journal.awaitCompaction(java.time.Duration.ofSeconds(10)); // as above: no compaction after a crash
    Map<String, HubState> restored = new HubJournal(journals.open(dir, settings), CHANGES_PER_IMAGE).restoredHubs();
    assertArrayEquals(hubs.image(live.get(hub)), hubs.image(restored.get(hub)));
  }

  @Test
  void operationsNameTheirPolicyWhichIsJournaledOnceAndAChangedPolicyReplaysAsItWas() throws Exception {
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 1024 * 1024, 64);
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, 64);
    // The same policy by value as another object (as a member deserializes it per operation), then a tuned one.
    AlertPolicy sameByValue = PolicyJson.read(new JsonObject()
        .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("summaryPeriod", "2s")));
    AlertPolicy tuned = PolicyJson.read(new JsonObject()
        .put("defaults", new JsonObject().put("stormThreshold", 5).put("stormWindow", "10s").put("summaryPeriod", "7s")));
    String hub = HUBS.get(0);
    int smallestWithPolicy = Integer.MAX_VALUE;
    int smallestStepWithPolicy = Integer.MAX_VALUE;
    for (int round = 0; round < 30; round++) {
      AlertPolicy policy = round < 10 ? POLICY : round < 20 ? sameByValue : tuned;
      DecideAlertsOperation decision = new DecideAlertsOperation(++operationId, batch(hub, round), NOW + round * 1000L, policy);
      run(hubs, hub, decision);
      smallestWithPolicy = Math.min(smallestWithPolicy, hubs.image(decision.getBackupProcessor()).length);
      if (round % 5 == 4) run(hubs, hub, new SettleHubOperation(NOW + round * 1000L, policy, false));
      if (round % 5 == 2) {
        // A hub storming on one code may be grouped on another: each step of its share carries the policy too.
        ShareStepOperation step = new ShareStepOperation(ShareStepOperation.Step.SEAL, "8014",
            "group:8014:member-a:" + round, "member-a", policy);
        run(hubs, hub, step);
        smallestStepWithPolicy = Math.min(smallestStepWithPolicy, hubs.image(step.getBackupProcessor()).length);
      }
    }
    written(journal); // what an acknowledgement waits for: a killed process keeps it
    Journal reopened = journals.open(dir, settings);
    assertEquals(2, reopened.recovered().of(Family.POLICY).size(), "each policy journaled once, an equal one not again");
    List<JournalRecord> changes = reopened.recovered().changesAfter(Family.HUB).get(hub);
    assertTrue(changes.size() > 20, "the operations are changes");
    List<JournalRecord> steps = changes.stream()
        .filter(c -> c.family() == Family.HUB_CHANGE && hubs.restored(c.image()) instanceof JournalForms.ShareStep).toList();
    assertEquals(6, steps.size(), "each share's step a change in the journal's form");
    int largestStep = steps.stream().mapToInt(c -> c.image().length).max().orElseThrow();
    int policyBytes = hubs.image(POLICY).length;
    int largestDecision = changes.stream().filter(c -> c.family() == Family.HUB_DECISION).mapToInt(c -> c.image().length)
        .max().orElseThrow();
    assertTrue(largestDecision < smallestWithPolicy - policyBytes / 2,
        "a decision names its policy (" + largestDecision + " bytes; with the policy whole at least " + smallestWithPolicy + ")");
    assertTrue(largestStep < smallestStepWithPolicy - policyBytes / 2,
        "a share's step names its policy (" + largestStep + " bytes; with the policy whole at least " + smallestStepWithPolicy + ")");
    Map<String, HubState> restored = new HubJournal(reopened, 64).restoredHubs();
    assertArrayEquals(hubs.image(live.get(hub)), hubs.image(restored.get(hub)), "replayed with the policy each operation had");
  }

  @Test
  void aJournalWhoseOperationsCarryTheirPolicyWholeIsStillRead() throws Exception {
    // As the releases before policy keys wrote it: each change the operation's own Compact form, policy inside.
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 1024 * 1024, CHANGES_PER_IMAGE);
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, CHANGES_PER_IMAGE);
    String hub = HUBS.get(1);
    HubState state = null;
    for (int round = 0; round < 6; round++) {
      DecideAlertsOperation op = new DecideAlertsOperation(++operationId, batch(hub, round), NOW + round * 100L, POLICY);
      Map.Entry<String, HubState> entry = new AbstractMap.SimpleEntry<>(hub, state);
      op.process(entry);
      state = entry.getValue();
      if (round == 0) journal.put(Family.HUB, hub, hubs.image(state));
      else journal.put(Family.HUB_CHANGE, hub, hubs.image(op.getBackupProcessor()));
    }
    written(journal); // what an acknowledgement waits for: a killed process keeps it
    Map<String, HubState> restored = new HubJournal(journals.open(dir, settings), CHANGES_PER_IMAGE).restoredHubs();
    assertArrayEquals(hubs.image(state), hubs.image(restored.get(hub)));
  }

  @Test
  void hubsThatAreTheirPackedBytesAloneAreJournaledRawWithNoSchemaAndComeBackExactly() throws Exception {
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 1024 * 1024, CHANGES_PER_IMAGE);
    HubJournal unjournaled = new HubJournal(Journal.off(), CHANGES_PER_IMAGE); // the cluster's form, for comparing
    String hub = HUBS.get(2);
    run(unjournaled, hub, new DecideAlertsOperation(++operationId, batch(hub, 0).subList(0, 1), NOW, POLICY));
    byte[] tracking = live.get(hub).parts().tracking();
    // A hub between two alerts (nothing waiting), and a hub of a regional burst (its lone open share folded in).
    HubState plain = HubState.of(new HubState.Parts(tracking, List.of(), List.of(), Map.of(), List.of(), 7));
    HubState grouped = HubState.of(new HubState.Parts(tracking, List.of(), List.of(),
        Map.of("8014", new org.csp.edge.decision.GroupShare("8014", 3, NOW - 500, NOW)), List.of(), 9));
    HubState empty = new HubState(); // no alert yet: no bytes
    assertTrue(plain.packedAlone() != null && !plain.packedAlone().folded());
    assertTrue(grouped.packedAlone() != null && grouped.packedAlone().folded(), "the share is folded into the bytes");
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, CHANGES_PER_IMAGE);
    hubs.hubChanged("plain", plain, null);
    hubs.hubChanged("grouped", grouped, null);
    hubs.hubChanged("empty", empty, null);

    written(journal); // what an acknowledgement waits for: a killed process keeps it
    Journal reopened = journals.open(dir, settings);
    assertEquals(Map.of(), reopened.recovered().of(Family.SCHEMA), "no Compact schema: nothing to register mid-traffic");
    assertEquals(Map.of(), reopened.recovered().of(Family.HUB));
    Map<String, HubState> restored = new HubJournal(reopened, CHANGES_PER_IMAGE).restoredHubs();
    for (Map.Entry<String, HubState> e : Map.of("plain", plain, "grouped", grouped, "empty", empty).entrySet()) {
      byte[] clusterForm = unjournaled.image(e.getValue());
      assertArrayEquals(clusterForm, unjournaled.image(restored.get(e.getKey())), e.getKey() + " exactly as it was");
      assertTrue(reopened.recovered().of(Family.HUB_PACKED).get(e.getKey()).length < clusterForm.length,
          e.getKey() + ": journaled as its packed bytes, smaller than the cluster's form");
    }
    assertEquals(grouped.parts().openShares(), restored.get("grouped").parts().openShares());
  }

  @Test
  void aHubsNewerFormReplacesTheOtherAndEndsTheChangesBeforeIt() throws Exception {
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 1024 * 1024, CHANGES_PER_IMAGE);
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, CHANGES_PER_IMAGE);
    String storming = HUBS.get(0);
    for (int round = 0; round < 6; round++) {
      run(hubs, storming, new DecideAlertsOperation(++operationId, batch(storming, round), NOW + round * 100L, POLICY));
    }
    assertTrue(live.get(storming).storming());
    written(journal); // what an acknowledgement waits for: a killed process keeps it
    assertTrue(journals.open(dir, settings).recovered().changesAfter(Family.HUB).containsKey(storming),
        "its operations journaled as changes after its image");
    String waiting = HUBS.get(1);
    run(hubs, waiting, new DecideAlertsOperation(++operationId, batch(waiting, 0).subList(0, 1), NOW, POLICY));
    assertTrue(live.get(waiting).packedAlone() == null, "an event waits for the broker: the other raw form");
    byte[] tracking = live.get(waiting).parts().tracking();
    HubState plain = HubState.of(new HubState.Parts(tracking, List.of(), List.of(), Map.of(), List.of(), 11));
    // The storm ended (its image and changes on record before): packed now. An earlier release's Compact image of a
    // packed hub, then the raw form: the raw one. The packed form, then an event waiting: the other raw form.
    hubs.hubChanged(storming, plain, null);
    journal.put(Family.HUB, "earlier", hubs.image(plain));
    hubs.hubChanged("earlier", plain, null);
    hubs.hubChanged("raw-then-waiting", plain, null);
    hubs.hubChanged("raw-then-waiting", live.get(waiting), null);
    journal.put(Family.HUB, "earlier-only", hubs.image(plain)); // read as an earlier release wrote it

    written(journal); // what an acknowledgement waits for: a killed process keeps it
    Journal reopened = journals.open(dir, settings);
    assertEquals(null, reopened.recovered().changesAfter(Family.HUB).get(storming), "ended by the packed image");
    assertTrue(reopened.recovered().of(Family.HUB_RAW).containsKey("raw-then-waiting"));
    Map<String, HubState> restored = new HubJournal(reopened, CHANGES_PER_IMAGE).restoredHubs();
    Map<String, HubState> expected = Map.of(storming, plain, "earlier", plain, "raw-then-waiting", live.get(waiting),
        "earlier-only", plain, waiting, live.get(waiting));
    assertEquals(expected.keySet(), restored.keySet());
    expected.forEach((key, state) -> assertArrayEquals(hubs.image(state), hubs.image(restored.get(key)), key));
  }

  @Test
  void threadsThatMeetANewTypeTogetherWriteNoRecordOfItBeforeItsSchema() throws Exception {
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 1024 * 1024, CHANGES_PER_IMAGE);
    String hub = HUBS.get(1);
    // A group record: the Compact form, of types this journal never met (every hub is in a raw form).
    SealedGroup group = new SealedGroup("group-1", "member-1", "8014", List.of(hub), "csp/dsp/group", 3, new byte[] {1});
    Journal journal = journals.open(dir, settings);
    HubJournal hubs = new HubJournal(journal, CHANGES_PER_IMAGE);
    Thread first = new Thread(() -> hubs.groupRecorded(group), "first");
    Thread second = new Thread(() -> hubs.groupRecorded(
        new SealedGroup("group-2", "member-1", "8014", List.of(hub), "csp/dsp/group", 4, new byte[] {2})), "second");
    synchronized (journal) { // holds every append: the first thread stops while it journals the type's schema
      first.start();
      awaitBlocked(first, () -> appending(first));
      second.start();
      awaitBlocked(second, () -> appending(second) || waitingForSchema(second));
      // Were the process killed once the second thread's append went through, its record would have no schema.
      assertFalse(appending(second), "the second thread waits for the schema, not in an append of its own");
    }
    first.join(10_000);
    second.join(10_000);
    written(journal); // what an acknowledgement waits for: a killed process keeps it
    Map<String, byte[]> groups = journals.open(dir, settings).recovered().of(Family.GROUP);
    assertEquals(java.util.Set.of("group-1", "group-2"), groups.keySet());
    HubJournal reader = new HubJournal(journals.open(dir, settings), CHANGES_PER_IMAGE);
    reader.restoredHubs(); // reads the schemas the records need
    assertArrayEquals(hubs.image(group), reader.image(reader.<SealedGroup>restored(groups.get("group-1"))));
  }

  private static void written(Journal journal) {
    journal.written().toCompletableFuture().join();
  }

  /** Until {@code t} waits for a lock where {@code where} says (not, say, for a class being loaded). */
  private static void awaitBlocked(Thread t, java.util.function.BooleanSupplier where) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!(t.getState() == Thread.State.BLOCKED && where.getAsBoolean()) && System.nanoTime() < deadline) Thread.sleep(1);
    assertTrue(t.getState() == Thread.State.BLOCKED && where.getAsBoolean(), t.getName() + " waits: " + t.getState());
  }

  private static boolean appending(Thread t) {
    return inFrame(t, Journal.class.getName(), "append");
  }

  private static boolean waitingForSchema(Thread t) {
    return inFrame(t, HubJournal.class.getName() + "$1", "putLocal");
  }

  private static boolean inFrame(Thread t, String className, String method) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(className) && e.getMethodName().equals(method)) return true;
    }
    return false;
  }
}
