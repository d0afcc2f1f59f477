package org.csp.edge.durability;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.csp.edge.accounting.NodeStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of the accounting equation that live in no hub (duplicates, rejected by reason; wire format,
 * "Accounting"), journaled under this run's boot id before a message that changed them is acknowledged, and those
 * of earlier runs that crashed, read back at start. A record holds a run's totals, read while no other append runs,
 * so the newest record of a boot is never behind any count it followed.
 */
public final class CountsJournal {
  private static final Logger log = LoggerFactory.getLogger(CountsJournal.class);

  private final Journal journal;
  private final NodeStats stats;
  /** This run's boot id, the one its heartbeats and status carry. */
  private final String bootId;
  /** This run's node id, kept with its counts: the next start may run under another (a new host name). */
  private final String nodeId;
  private final Map<String, BootCounts> earlier;
  /** Duplicates plus rejected as last journaled: a message that changed neither writes nothing. */
  private volatile long journaled;

  public CountsJournal(Journal journal, NodeStats stats, String nodeId, String bootId) {
    this.journal = journal;
    this.nodeId = nodeId;
    this.bootId = bootId;
    this.stats = stats;
    Map<String, BootCounts> read = new java.util.LinkedHashMap<>();
    journal.recovered().of(JournalRecord.Family.COUNTS).forEach((boot, image) -> read.put(boot, BootCounts.read(image)));
    if (journal.recovered().isAfterCleanStop()) {
      // The run that kept them stopped cleanly: its last heartbeat carried its totals, and those of the runs before it.
      read.keySet().forEach(boot -> journal.remove(JournalRecord.Family.COUNTS, boot));
      read.clear();
    }
    this.earlier = Map.copyOf(read);
    // Earlier boots' totals go into this run's journal at once, so a compaction or a second crash keeps them.
    earlier.forEach((boot, counts) -> journal.put(JournalRecord.Family.COUNTS, boot, counts.bytes()));
  }

  /**
   * Before a message is acknowledged: journals this run's totals if the message changed them, then completes, on
   * {@code context}, once they and every record appended before (its decisions' hub changes: the owner appended
   * them before it answered) are written. Fails if the journal could not write them: the message is then not
   * acknowledged. Already succeeded when the journal is off, or when all was written already.
   */
  public Future<Void> beforeAcknowledge(Context context) {
    if (!journal.on()) return NOTHING_OWED;
    if (total() != journaled) {
      // One counts record at a time, so the totals read here are never older than a record appended before, and
      // the quick test above sees a total only once its record is appended (the barrier below then covers it).
      synchronized (this) {
        long total = total();
        if (total != journaled) {
          journal.put(JournalRecord.Family.COUNTS, bootId, BootCounts.of(nodeId, stats).bytes());
          journaled = total;
        }
      }
    }
    CompletionStage<Void> written = journal.written();
    CompletableFuture<Void> now = written.toCompletableFuture();
    if (now.isDone() && !now.isCompletedExceptionally()) return NOTHING_OWED;
    return Future.fromCompletionStage(written, context);
  }

  private static final Future<Void> NOTHING_OWED = Future.succeededFuture();

  private long total() {
    return stats.duplicates.sum() + stats.rejectedTotal();
  }

  public String bootId() {
    return bootId;
  }

  /** The totals of earlier runs of this node that stopped without a clean stop, by boot id. */
  public Map<String, BootCounts> earlierBoots() {
    return earlier;
  }

  /**
   * The totals of a run: what the DSP's equation needs beyond the events' counts. {@code nodeId} is the node that
   * run was; null in the journals of releases that did not keep it.
   */
  public record BootCounts(String nodeId, long received, long duplicates, long rejected, JsonObject rejectedByReason) {
    public static BootCounts of(String nodeId, NodeStats stats) {
      NodeStats.Counts n = stats.counts();
      return new BootCounts(nodeId, n.received(), n.duplicates(), n.rejected(), n.rejectedByReason());
    }

    public static BootCounts read(byte[] image) {
      return fromJson(new JsonObject(new String(image, StandardCharsets.UTF_8)));
    }

    public static BootCounts fromJson(JsonObject j) {
      return new BootCounts(j.getString("nodeId"), j.getLong("received", 0L), j.getLong("duplicates", 0L),
          j.getLong("rejected", 0L), j.getJsonObject("rejectedByReason", new JsonObject()));
    }

    /** The node that run was, or {@code otherwise} when its journal did not say. */
    public String nodeIdOr(String otherwise) {
      return nodeId == null ? otherwise : nodeId;
    }

    public byte[] bytes() {
      JsonObject j = toJson();
      if (nodeId != null) j.put("nodeId", nodeId);
      return j.encode().getBytes(StandardCharsets.UTF_8);
    }

    public JsonObject toJson() {
      return new JsonObject().put("received", received).put("duplicates", duplicates).put("rejected", rejected)
          .put("rejectedByReason", rejectedByReason);
    }
  }
}
