package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.csp.edge.decision.RegionalEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a member's next start owes for the regional storms it started: the ends it raised, or ends at the restart. */
class OpenRegionalStormsTest {
  @TempDir Path dir;

  @Test
  void aStormLeftOpenEndsAtTheRestartWithItsLastTotalAndARaisedEndComesBackAsRaised() {
    OpenRegionalStorms run = new OpenRegionalStorms(dir);
    run.started(new RegionalEvent.Started("8F3E", 1_000, 250.0, 200, 10_000));
    run.started(new RegionalEvent.Started("8183", 2_000, 300.0, 200, 10_000));
    run.totals(Map.of("8F3E", new long[] {1_000, 4_321}, "8183", new long[] {1_999, 7})); // 8183: another burst's
    RegionalEvent.Ended raised = new RegionalEvent.Ended("8183", 2_000, 9_000, 612);
    run.endRaised(raised);
    run.close(); // killed here: neither end delivered

    List<RegionalEvent.Ended> owed = new OpenRegionalStorms(dir).leftByLastRun(50_000);
    assertEquals(List.of(new RegionalEvent.Ended("8F3E", 1_000, 50_000, 4_321), raised), owed);
  }

  @Test
  void aDeliveredEndLeavesNothingOwed() {
    OpenRegionalStorms run = new OpenRegionalStorms(dir);
    run.started(new RegionalEvent.Started("8F3E", 1_000, 250.0, 200, 10_000));
    RegionalEvent.Ended end = new RegionalEvent.Ended("8F3E", 1_000, 9_000, 10);
    run.endRaised(end);
    run.endDelivered(end);
    run.close();
    assertFalse(Files.exists(dir.resolve(OpenRegionalStorms.FILE)), "nothing open, nothing kept");
    assertEquals(List.of(), new OpenRegionalStorms(dir).leftByLastRun(50_000));
  }

  @Test
  void aDamagedEntryCostsItsOwnEndOnly() throws Exception {
    OpenRegionalStorms run = new OpenRegionalStorms(dir);
    run.started(new RegionalEvent.Started("8F3E", 1_000, 250.0, 200, 10_000));
    run.started(new RegionalEvent.Started("8183", 2_000, 300.0, 200, 10_000));
    run.close();
    Path file = dir.resolve(OpenRegionalStorms.FILE);
    io.vertx.core.json.JsonObject kept = new io.vertx.core.json.JsonObject(Files.readString(file));
    kept.getJsonArray("storms").getList().add(0, Map.of("alertCode", "8014", "totalGrouped", 3)); // no startedAt
    kept.getJsonArray("storms").getList().add(1, "not a storm");
    Files.writeString(file, kept.encode());

    List<RegionalEvent.Ended> owed = new OpenRegionalStorms(dir).leftByLastRun(50_000);
    assertEquals(List.of("8F3E", "8183"), owed.stream().map(RegionalEvent.Ended::alertCode).sorted(java.util.Comparator.reverseOrder()).toList());
  }
}
