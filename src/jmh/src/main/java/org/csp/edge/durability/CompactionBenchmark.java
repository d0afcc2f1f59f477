package org.csp.edge.durability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.durability.JournalRecord.Family;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One compaction as regional-voltage's rolls make them at 8,000 alerts/s (segments of the shape captured from the bench on
 * 2026-12-07): an earlier output of 25,000 hubs' images (20,000 background hubs with a forwarded alert waiting, raw
 * images of about 600 bytes; 5,000 hubs of the regional burst, packed images of about 200), folded with a full 64 MiB
 * segment of their newer images (two background images to one burst image, a group record of 34 KiB and its release
 * every 2,800 records). Run with {@code -prof gc} for the bytes allocated per compaction. In the durability package:
 * compaction is its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompactionBenchmark {
  private static final int BACKGROUND_HUBS = 20_000;
  private static final int BURST_HUBS = 5_000;
  private static final int SEGMENT_BYTES = 64 * 1024 * 1024;
  private static final int GROUP_EVERY = 2_800;

  private final Compaction compaction = new Compaction();
  private Path source;
  private Path dir;

  @Setup(Level.Trial)
  public void writeSegments() throws IOException {
    source = Files.createTempDirectory("compaction-bench");
    NodeConfig.Durability settings = new NodeConfig.Durability(true, null, 2 * SEGMENT_BYTES);
    Random random = new Random(7);
    try (Journal earlier = Journal.open(source, settings)) {
      for (int hub = 0; hub < BACKGROUND_HUBS + BURST_HUBS; hub++) put(earlier, hub, random);
    }
    try (Journal newer = Journal.open(source, settings)) {
      for (int n = 0; newer.appendedBytes() < SEGMENT_BYTES; n++) {
        boolean burst = n % 3 == 2;
        put(newer, burst ? BACKGROUND_HUBS + random.nextInt(BURST_HUBS) : random.nextInt(BACKGROUND_HUBS), random);
        if (n % GROUP_EVERY == 0) {
          newer.put(Family.GROUP, "group-" + n, new byte[34 * 1024]);
          newer.remove(Family.GROUP, "group-" + (n - GROUP_EVERY));
        }
      }
    }
  }

  private static void put(Journal journal, int hub, Random random) {
    boolean burst = hub >= BACKGROUND_HUBS;
    byte[] image = new byte[burst ? 150 + random.nextInt(100) : 500 + random.nextInt(200)];
    random.nextBytes(image);
    journal.put(burst ? Family.HUB_PACKED : Family.HUB_RAW, String.format("00-1B-C5-0C-00-%02X-%02X-%02X",
        hub >> 16, (hub >> 8) & 0xFF, hub & 0xFF), image);
  }

  @Setup(Level.Invocation)
  public void copySegments() throws IOException {
    dir = Files.createTempDirectory("compaction-run");
    for (long s : Segments.list(source)) {
      Files.copy(Segments.file(source, s), Segments.file(dir, s), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @TearDown(Level.Invocation)
  public void deleteRun() throws IOException {
    deleteAll(dir);
  }

  @TearDown(Level.Trial)
  public void deleteSegments() throws IOException {
    deleteAll(source);
  }

  private static void deleteAll(Path d) throws IOException {
    for (long s : Segments.list(d)) Files.deleteIfExists(Segments.file(d, s));
    Files.deleteIfExists(d);
  }

  @Benchmark
  public Map<Integer, Integer> foldOutputAndAFullSegment() throws IOException {
    return compaction.fold(dir, List.of(1L, 2L), true);
  }
}
