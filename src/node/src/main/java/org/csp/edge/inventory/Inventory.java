package org.csp.edge.inventory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.csp.edge.alert.DeviceModels;
import org.csp.edge.alert.Dmc;
import org.csp.edge.alert.Eui64;
import org.csp.edge.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device inventory of the region (src/docs/design.md, "Inventory"). Every member holds the whole of it as a
 * read-only {@link DeviceTable}, swapped in one write when a new import lands, and answers the parser's question
 * ({@link #of}) from it: no Hazelcast round trip, no allocation. The cluster keeps one copy, so that every member and
 * one that joins later loads it: its description in the map {@link #MAP_NAME} (key {@link #CURRENT}) and its binary
 * form ({@link InventoryFile}) cut in chunks in {@link #CHUNKS_MAP_NAME}. Each member also keeps it in {@code
 * dataDir/inventory/inventory.bin}, so that it survives a restart of the whole cluster. An import replaces the
 * inventory as a whole.
 */
public final class Inventory implements DeviceModels {
  /** The description of the inventory in force (JSON text) under {@link #CURRENT}. */
  public static final String MAP_NAME = "csp-inventory";
  /** Its binary form, by {@code importId/chunkNumber}. */
  public static final String CHUNKS_MAP_NAME = "csp-inventory-chunks";
  static final String CURRENT = "current";
  public static final String FILE = "inventory.bin";
  /** Its directory under the data directory. */
  public static final String DIRECTORY = "inventory";

  private static final Logger log = LoggerFactory.getLogger(Inventory.class);

  private final IMap<String, String> descriptions;
  private final IMap<String, byte[]> chunks;
  private final NodeConfig.Inventory limits;
  private final Path directory;
  private final LongSupplier clock;
  private final LongAdder filled = new LongAdder();
  private final LongAdder missed = new LongAdder();
  private final LongAdder imports = new LongAdder();
  /** What this member holds: swapped whole, read by every intake thread. */
  private volatile Held held = new Held(null, DeviceTable.EMPTY);
  private Vertx vertx;
  /** The node's context, taken at start: the listener's work goes to its workers, from Hazelcast's event thread. */
  private io.vertx.core.Context context;
  /** Imports, one at a time, on a thread of their own: reading millions of lines takes a minute or more. */
  private io.vertx.core.WorkerExecutor importer;
  private static final String IMPORTER = "csp-inventory-import";
  /** How long an import may run before Vert.x warns that its thread is blocked: far past 20 million lines. */
  private static final java.time.Duration IMPORT_TIME = java.time.Duration.ofMinutes(30);
  private UUID listener;

  private record Held(JsonObject description, DeviceTable table) {
    String id() {
      return description == null ? null : description.getString("id");
    }
  }

  /** Refused before anything changed: the caller's file (its header, or no device in it), or its size. */
  public static final class Refused extends RuntimeException {
    private final int status;
    private final JsonObject details;

    Refused(int status, String message, JsonObject details) {
      super(message);
      this.status = status;
      this.details = details;
    }

    public int status() {
      return status;
    }

    public JsonObject details() {
      return details;
    }
  }

  public Inventory(HazelcastInstance member, NodeConfig config, LongSupplier clock) {
    this.descriptions = member.getMap(MAP_NAME);
    this.chunks = member.getMap(CHUNKS_MAP_NAME);
    this.limits = config.inventory();
    this.directory = config.dataDir().resolve(DIRECTORY);
    this.clock = clock;
  }

  @Override
  public Dmc of(String deviceId) {
    Dmc d = held.table.of(Eui64.pack(deviceId));
    if (d != null) filled.increment();
    else missed.increment();
    return d;
  }

  /**
   * Loads the inventory before the intakes open: the cluster's when it has one (from this member's file when it is
   * the same import, else fetched), else this member's file, which it then gives the cluster (the first member of a
   * cluster started whole). Then follows the cluster's imports.
   */
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.importer = vertx.createSharedWorkerExecutor(IMPORTER, 1, IMPORT_TIME.toMinutes(), java.util.concurrent.TimeUnit.MINUTES);
    return vertx.executeBlocking(() -> {
      listener = descriptions.addEntryListener(new Follower(), true);
      String text = descriptions.get(CURRENT);
      if (text != null) {
        try {
          adopt(new JsonObject(text));
        } catch (IOException | RuntimeException e) {
          // The node still starts: with its own file's inventory, if any, until the next import reaches it.
          log.error("inventory: cannot load the cluster's inventory ({}); starting with this member's own copy", e.toString());
          Held own = readOwnFile();
          if (own != null) held = own;
        }
      } else {
        Held own = readOwnFile();
        if (own != null) {
          held = own;
          try {
            share(own, null);
          } catch (IOException | RuntimeException e) {
            log.error("inventory: cannot give the cluster this member's copy ({}); it holds it alone", e.toString());
          }
        }
      }
      if (held.description != null) log.info("inventory: {} (import {})", held.table, held.id());
      return null;
    }, false).mapEmpty();
  }

  public Future<Void> stop() {
    if (vertx == null || listener == null) return Future.succeededFuture();
    return vertx.executeBlocking(() -> descriptions.removeEntryListener(listener), false)
        .eventually(() -> importer.close()).mapEmpty();
  }

  /**
   * Reads a CSV export into a new inventory and puts it in force on every member, replacing the one before; answers
   * what it took and refused. Blocking work on a worker thread; {@code csv} is deleted when read.
   */
  public Future<JsonObject> importCsv(Path csv, String by) {
    return importer.executeBlocking(() -> {
      DeviceTableBuilder devices = new DeviceTableBuilder(limits.maxDevices(), limits.maxModels());
      InventoryCsv.Read read;
      try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(csv),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
        read = InventoryCsv.read(in, devices, limits.refusedListed());
      } catch (InventoryCsv.Unreadable e) {
        throw new Refused(400, e.getMessage() + "; the inventory is unchanged", null);
      } catch (DeviceTableBuilder.TooLarge e) {
        throw new Refused(413, e.getMessage() + "; the inventory is unchanged", null);
      } catch (CharacterCodingException e) {
        throw new Refused(400, "the file is not UTF-8 text; the inventory is unchanged", null);
      } finally {
        Files.deleteIfExists(csv);
      }
      JsonObject answer = new JsonObject().put("rows", read.lines()).put("refused", read.refused())
          .put("refusedRows", refusedRows(read));
      if (devices.lines() == 0) {
        throw new Refused(400, "no device could be read (" + read.refused() + " rows refused); the inventory is unchanged",
            answer);
      }
      DeviceTable table = devices.build();
      JsonObject description = new JsonObject().put("id", UUID.randomUUID().toString())
          .put("importedAt", Instant.ofEpochMilli(clock.getAsLong()).toString()).put("importedBy", by)
          .put("devices", table.devices()).put("models", table.models()).put("rows", read.lines())
          .put("refused", read.refused()).put("replaced", devices.replaced());
      Held now = new Held(description, table);
      share(now, descriptions.get(CURRENT));
      imports.increment();
      log.info("inventory: import {} by {}: {}; {} rows refused", description.getString("id"), by, table, read.refused());
      return summaryOf(held).mergeIn(answer);
    }, false);
  }

  /** The inventory in force on this member: devices, models, when and by whom imported, its version. */
  public JsonObject summary() {
    return summaryOf(held);
  }

  /** For {@code /v1/status}: the summary and how often the inventory filled a DMC. */
  public JsonObject status() {
    return summary().put("dmcFilled", filled.sum()).put("dmcMissed", missed.sum()).put("bytes", held.table.bytes());
  }

  public long filled() {
    return filled.sum();
  }

  public long missed() {
    return missed.sum();
  }

  public void bindMetrics(MeterRegistry registry) {
    FunctionCounter.builder("csp.inventory.dmc.filled", filled, LongAdder::sum)
        .description("alerts without a dmc that got their device's from the inventory").register(registry);
    FunctionCounter.builder("csp.inventory.dmc.missed", missed, LongAdder::sum)
        .description("alerts without a dmc whose device the inventory does not list").register(registry);
    FunctionCounter.builder("csp.inventory.imports", imports, LongAdder::sum)
        .description("inventories imported through this member").register(registry);
    Gauge.builder("csp.inventory.devices", this, i -> i.held.table.devices())
        .description("devices in the inventory this member holds").strongReference(true).register(registry);
    Gauge.builder("csp.inventory.models", this, i -> i.held.table.models())
        .description("distinct device models (DMCs) in the inventory this member holds").strongReference(true).register(registry);
    Gauge.builder("csp.inventory.heap.bytes", this, i -> i.held.table.bytes())
        .description("heap the inventory takes on this member").strongReference(true).register(registry);
  }

  private static JsonObject summaryOf(Held h) {
    JsonObject d = h.description;
    if (d == null) return new JsonObject().put("devices", 0).put("models", 0).putNull("version");
    return new JsonObject().put("devices", h.table.devices()).put("models", h.table.models())
        .put("version", d.getLong("version")).put("id", d.getString("id")).put("importedAt", d.getString("importedAt"))
        .put("importedBy", d.getString("importedBy")).put("replaced", d.getLong("replaced"));
  }

  private static JsonArray refusedRows(InventoryCsv.Read read) {
    JsonArray rows = new JsonArray();
    for (InventoryCsv.Refused r : read.listed()) rows.add(new JsonObject().put("line", r.line()).put("reason", r.reason()));
    return rows;
  }

  /**
   * Puts {@code h} in force here and in the cluster, as the version after {@code before} (the cluster's description
   * when this import started, or null): its file first, then its chunks, then its description, under the map's lock
   * so that two imports at once are versioned one after the other. The older import's chunks are then removed.
   */
  private void share(Held h, String before) throws IOException {
    descriptions.lock(CURRENT);
    try {
      String current = descriptions.get(CURRENT);
      if (before == null && current != null && h.description.containsKey("version")) {
        // Our file's copy, but another member gave the cluster one meanwhile: theirs is in force.
        adopt(new JsonObject(current));
        return;
      }
      long version = current == null ? Math.max(1, h.description.getLong("version", 0L))
          : new JsonObject(current).getLong("version") + 1;
      JsonObject description = h.description.copy().put("version", version);
      Held versioned = new Held(description, h.table);
      Path file = directory.resolve(FILE);
      InventoryFile.writeAtomically(h.table, description, file);
      int n = putChunks(description.getString("id"), file);
      JsonObject shared = description.copy().put("chunks", n).put("bytes", Files.size(file));
      held = versioned; // before the description: this member's listener then finds it already in force
      descriptions.set(CURRENT, shared.encode());
      if (current != null) removeChunks(new JsonObject(current));
    } finally {
      descriptions.unlock(CURRENT);
    }
  }

  private int putChunks(String id, Path file) throws IOException {
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] chunk;
      while ((chunk = in.readNBytes(limits.chunkBytes())).length > 0) {
        chunks.set(id + "/" + n, chunk);
        n++;
      }
    }
    return n;
  }

  private void removeChunks(JsonObject description) {
    String id = description.getString("id");
    int n = description.getInteger("chunks", 0);
    if (id == null || id.equals(held.id())) return;
    for (int k = 0; k < n; k++) chunks.delete(id + "/" + k);
  }

  /** Puts the cluster's inventory in force here, unless it already is: from this member's file when it is the same. */
  private synchronized void adopt(JsonObject description) throws IOException {
    String id = description.getString("id");
    if (id == null || id.equals(held.id())) return;
    Path file = directory.resolve(FILE);
    if (Files.exists(file)) {
      try {
        if (id.equals(InventoryFile.description(file).getString("id"))) {
          Held own = readOwnFile();
          if (own != null) {
            held = own;
            return;
          }
        }
      } catch (IOException | RuntimeException e) { // unreadable, or damaged on disk
        log.warn("inventory: {} is not readable ({}); fetching the cluster's copy", file, e.toString());
      }
    }
    int n = description.getInteger("chunks");
    List<InputStream> parts = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      byte[] chunk = chunks.get(id + "/" + k);
      if (chunk == null) throw new IOException("chunk " + k + " of inventory " + id + " is missing (a newer import replaced it?)");
      parts.add(new ByteArrayInputStream(chunk));
    }
    InventoryFile.Loaded loaded;
    try (InputStream in = new SequenceInputStream(Collections.enumeration(parts))) {
      loaded = InventoryFile.read(in);
    }
    InventoryFile.writeAtomically(loaded.table(), loaded.description(), file);
    held = new Held(loaded.description(), loaded.table());
    log.info("inventory: import {} (version {}) in force: {}", id, description.getLong("version"), loaded.table());
  }

  /** This member's file, or null when it has none or it is damaged (said in the log). */
  private Held readOwnFile() {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) return null;
    try (InputStream in = Files.newInputStream(file)) {
      InventoryFile.Loaded loaded = InventoryFile.read(in);
      return new Held(loaded.description(), loaded.table());
    } catch (IOException | RuntimeException e) { // unreadable, or damaged on disk
      log.error("inventory: {} cannot be read ({}); this member starts without it", file, e.toString());
      return null;
    }
  }

  /** Where a streamed upload is written before it is read: in the data directory, not in memory. */
  public Path uploadFile() throws IOException {
    Files.createDirectories(directory);
    return Files.createTempFile(directory, "upload-", ".csv");
  }

  public long maxUploadBytes() {
    return limits.maxUploadBytes();
  }

  /** An import made on another member: fetched and put in force off the Hazelcast event thread. */
  private final class Follower implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      follow(e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      follow(e.getValue());
    }

    private void follow(String text) {
      if (context == null || text == null) return;
      context.executeBlocking(() -> {
        adopt(new JsonObject(text));
        return null;
      }, true).onFailure(err -> log.error("inventory: cannot load the cluster's new inventory: {}", err.toString()));
    }
  }

}
