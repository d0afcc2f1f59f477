package org.csp.edge.config;

import java.nio.file.Path;
import java.time.Duration;

/** The {@code rollups} section: counting, sharing, storing and keeping them (src/docs/operations.md, "Reports"). */
final class RollupSettings {
  static final String ENV_DB_URL = "NODE_ROLLUPS_DB_URL";
  static final String ENV_DB_USERNAME = "NODE_ROLLUPS_DB_USERNAME";
  static final String ENV_DB_PASSWORD = "NODE_ROLLUPS_DB_PASSWORD";
  static final String ENV_DB_PASSWORD_FILE = "NODE_ROLLUPS_DB_PASSWORD_FILE";
  static final String ENV_ROLLUPS = "NODE_ROLLUPS";
  /** What the operations group asked for at least (issue 20): the minimum a configuration may set. */
  private static final Duration MIN_HOURLY = Duration.ofDays(14);
  private static final Duration MIN_DAILY = Duration.ofDays(400);
  /** DataSketches' HLL: lgK 4..21; 12 gives about 1.6 % relative error in 4 KiB per sketch (HLL_8) when full. */
  private static final int MIN_LGK = 4;
  private static final int MAX_LGK = 21;
  private static final int MIN_TOP = 8;
  private static final int MAX_TOP = 1 << 16;
  /** The cells an hour holds by default, where the heap has room for them. */
  private static final int DEFAULT_MAX_CELLS = 100_000;
  /**
   * Heap allowed per cell when the default is derived from the heap: a cell of long model names, its sketches and
   * the flush's copies of it (hour and day merges, the batch written) take a few KiB; a 256 MiB heap then keeps
   * 32,768 cells and room for the rest of the node.
   */
  private static final long HEAP_PER_CELL = 8 * 1024;

  private RollupSettings() {}

  /** 100,000, or one cell per {@link #HEAP_PER_CELL} of the heap where that is fewer: devices choose the models. */
  static int defaultMaxCells(long maxHeapBytes) {
    return (int) Math.max(1, Math.min(DEFAULT_MAX_CELLS, maxHeapBytes / HEAP_PER_CELL));
  }

  static NodeConfig.Rollups read(Section s, Path dataDir) {
    boolean enabled = s.bool("enabled", ENV_ROLLUPS, true);
    Duration flushInterval = s.duration("flushInterval", Duration.ofSeconds(30), Duration.ofMillis(100));
    Duration hourGrace = s.duration("hourGrace", Duration.ofMinutes(2), Duration.ZERO);
    Duration shareFor = s.duration("shareFor", Duration.ofHours(48), Duration.ofHours(2));
    Duration sweepInterval = s.duration("sweepInterval", Duration.ofHours(1), Duration.ofSeconds(1));
    Duration hourly = s.duration("hourlyRetention", Duration.ofDays(15), MIN_HOURLY);
    Duration daily = s.duration("dailyRetention", Duration.ofDays(400), MIN_DAILY);
    int lgK = s.integer("distinctPrecision", 12, MIN_LGK, MAX_LGK);
    int topItems = s.integer("topItems", 128, MIN_TOP, MAX_TOP);
    if (Integer.bitCount(topItems) != 1) s.problem("topItems", "must be a power of 2 (frequent items' map size), got " + topItems);
    int maxCells = s.atLeast("maxCells", defaultMaxCells(Runtime.getRuntime().maxMemory()), 1);
    Section store = s.section("store");
    String url = store.nonBlank("url", ENV_DB_URL, null);
    if (url == null) url = "jdbc:h2:file:" + dataDir.resolve(NodeConfig.ROLLUPS_DIRECTORY).resolve("rollups").toAbsolutePath();
    else if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      store.problem("url", "must be a jdbc:postgresql: or jdbc:h2: URL, got '" + url + "'");
    }
    String username = store.string("username", ENV_DB_USERNAME, url.startsWith("jdbc:h2:") ? "sa" : null);
    String passwordFile = store.nonBlank("passwordFile", ENV_DB_PASSWORD_FILE, null);
    store.refuseUnknownKeys();
    s.refuseUnknownKeys();
    Secret password = passwordFile != null ? null : Secret.of(store.env(ENV_DB_PASSWORD));
    String dbUrl = url;
    return s.problems().build(() -> new NodeConfig.Rollups(enabled, flushInterval, hourGrace, shareFor, sweepInterval,
        hourly, daily, lgK, topItems, maxCells, dbUrl, username == null || username.isEmpty() ? null : username,
        passwordFile == null ? null : Path.of(passwordFile), password));
  }
}
