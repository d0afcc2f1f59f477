package org.csp.edge.bench.memory;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.csp.edge.cluster.ClusterConfigs;
import org.csp.edge.cluster.HubCounts;
import org.csp.edge.cluster.HubStateStore;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalDetection;
import org.csp.edge.decision.RegionalEvent;
import org.csp.edge.decision.Verdict;
import org.csp.edge.upstream.EventSink;
import org.csp.edge.upstream.UpstreamEvent;

/**
 * {@code csp-edge-node bench memory [options]}: the heap a tracked hub and code costs (issue 4: at most 256 bytes).
 * Fills the hub map of a real Hazelcast member, configured from cluster-config/ as a node's is, through the node's own
 * operations, and prints what the heap retained per hub and code, by class, from two class histograms (empty map,
 * filled map), each taken after a full GC. Run one measurement per JVM, with a heap large enough (-Xmx8g for a
 * million hubs in storm). See src/docs/performance.md, "Memory".
 */
@Command(name = "memory", description = {"Heap retained per tracked hub and code, measured with class histograms.",
    "Run one measurement per JVM, with a heap large enough (-Xmx8g for a million hubs in storm)."})
public final class MemoryCommand implements Callable<Integer> {
  private static final int WARM_UP = 1000;

  @Mixin
  CommandLines.Help help;
  @Spec
  CommandSpec spec;
  @Option(names = "--hubs", paramLabel = "N", description = "Hubs put in state (default 1000000).")
  String hubs;
  @Option(names = "--state", paramLabel = "one-code|storm|grouped", description = "One alert of one code per hub"
      + " (default), an open storm with two devices' counters, or one alert grouped into an open regional burst"
      + " (the hub's open group share).")
  String state;
  @Option(names = "--store", paramLabel = "member|plain", description = "The node's hub map on a real member (default),"
      + " or bare HubStates in a HashMap.")
  String store;
  @Option(names = "--format", paramLabel = "OBJECT|BINARY", description = "The map's in-memory format (default: as the"
      + " cluster configuration sets it).")
  String format;
  @Option(names = "--cluster-config", paramLabel = "FILE", description = "The member's configuration"
      + " (default cluster-config/single.xml).")
  String clusterConfig;
  @Option(names = "--top", paramLabel = "N", description = "Classes listed (default 15).")
  String top;
  private final PrintStream out;

  public MemoryCommand() {
    this(System.out);
  }

  public MemoryCommand(PrintStream out) {
    this.out = out;
  }

  public static int run(String[] args, PrintStream out) {
    return CommandLines.execute(new MemoryCommand(out), args, out, System.err);
  }

  @Override
  public Integer call() {
    MemoryOptions options;
    try {
      options = MemoryOptions.parse(CommandLines.matchedArgs(spec.commandLine().getParseResult()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    out.printf(Locale.ROOT, "bench memory: %,d hubs, state %s, store %s, %s; max heap %,d MB, %s%n", options.hubs(),
        options.state().cliName, options.store(), options.clusterConfig(), Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    return options.store().equals("plain") ? plain(options, out) : member(options, out);
  }

  private static int member(MemoryOptions options, PrintStream out) {
    OwnedHubs owned = new OwnedHubs();
    Config config = ClusterConfigs.memberConfig(options.clusterConfig(), Map.of(OwnedHubs.USER_CONTEXT_KEY, owned));
    if (options.format() != null) config.getMapConfig(HubStateStore.MAP_NAME).setInMemoryFormat(options.format());
    InMemoryFormat format = config.getMapConfig(HubStateStore.MAP_NAME).getInMemoryFormat();
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    try {
      owned.joined(member);
      ConcurrentLinkedQueue<HubEvent> published = new ConcurrentLinkedQueue<>();
      owned.publishTo(new EventSink() { // the hubs' events only: what the broker would acknowledge
        @Override
        public void hubEvent(HubEvent event) {
          published.add(event);
        }

        @Override
        public void regionalNotice(RegionalEvent notice) {}

        @Override
        public void group(UpstreamEvent recorded, Runnable afterDelivery) {}
      });
      IMap<String, HubState> hubs = member.getMap(HubStateStore.MAP_NAME);
      HubFill fill = new HubFill(options.state(), policy(options.state()), System.currentTimeMillis());
      // Class loading, JIT and the partitions' record stores, before the baseline; hubs other than those measured.
      fill.intoMember(hubs, published, options.hubs(), WARM_UP);
      HeapHistogram empty = HeapHistogram.take();
      long started = System.nanoTime();
      fill.intoMember(hubs, published, 0, options.hubs());
      long fillMillis = (System.nanoTime() - started) / 1_000_000;
      HeapHistogram filled = HeapHistogram.take();
      HubCounts counts = owned.counts();
      out.printf(Locale.ROOT, "filled in %,d ms; map size %,d; owner's view: %s; verdicts %s; in-memory format %s%n",
          fillMillis, hubs.size(), counts, fill.verdicts, format);
      report(empty, filled, options, out);
      // Grouped: every measured hub holds an open share (the warm-up hubs' first alerts opened the burst).
      boolean grouped = options.state() != TrackedState.GROUPED || counts.grouping() >= options.hubs();
      return hubs.size() == options.hubs() + WARM_UP && counts.waiting() == 0 && grouped ? 0 : 1;
    } finally {
      member.shutdown();
    }
  }

  private static int plain(MemoryOptions options, PrintStream out) {
    HubFill fill = new HubFill(options.state(), policy(options.state()), System.currentTimeMillis());
    fill.intoPlainMap(new HashMap<>(), options.hubs(), WARM_UP);
    HeapHistogram empty = HeapHistogram.take();
    Map<String, HubState> hubs = new HashMap<>(options.hubs() * 4 / 3 + 1);
    fill.intoPlainMap(hubs, 0, options.hubs());
    HeapHistogram filled = HeapHistogram.take();
    out.printf(Locale.ROOT, "filled a HashMap of %,d hubs; verdicts %s%n", hubs.size(), fill.verdicts);
    report(empty, filled, options, out);
    boolean grouped = options.state() != TrackedState.GROUPED
        || fill.verdicts.getOrDefault(Verdict.GROUPED, 0L) >= options.hubs();
    return hubs.size() == options.hubs() && grouped ? 0 : 1;
  }

  /**
   * Production defaults, except that no code bursts regionally: a million hubs sending one code within a second is
   * a burst, and grouping would add group shares to every hub. What is measured is a hub's own tracking. For
   * {@link TrackedState#GROUPED} the regional rules are the defaults too, but for the detector's warm-up: the fill
   * decides every hub at one instant (HubFill's {@code now}), so a warm-up would never end; with none, the member's
   * real detector opens the burst once the default threshold is reached (within the warm-up hubs) and groups every
   * measured hub's alert, as a member past its warm-up does in a power restoration.
   */
  static AlertPolicy policy(TrackedState state) {
    CodePolicy d = CodePolicy.DEFAULTS;
    RegionalDetection r = d.regional();
    CodePolicy code = state == TrackedState.GROUPED
        ? new CodePolicy(d.mode(), d.stormThreshold(), d.stormWindow(), d.releaseThreshold(), d.quietPeriod(),
            d.summaryPeriod(), d.regionalThreshold(), d.regionalWindow(), d.regionalRelease(), d.groupWait(),
            new RegionalDetection(r.mode(), r.factor(), r.releaseFactor(), r.halfLife(), r.burstHalfLife(), Duration.ZERO))
        : new CodePolicy(d.mode(), d.stormThreshold(), d.stormWindow(), d.releaseThreshold(), d.quietPeriod(),
            d.summaryPeriod(), Integer.MAX_VALUE, d.regionalWindow(), d.regionalRelease(), d.groupWait());
    AlertPolicy p = AlertPolicy.DEFAULTS;
    return new AlertPolicy(code, Map.of(), p.duplicateRetention(), p.duplicateMemoryPerDevice(), p.maxHubsPerGroup(),
        p.maxDevicesPerSummary(), p.maxDevicesPerHub(), p.maxCodesPerHub());
  }

  private static void report(HeapHistogram empty, HeapHistogram filled, MemoryOptions options, PrintStream out) {
    long retained = filled.totalBytes() - empty.totalBytes();
    // One tracked code per hub in both shapes, so per hub is per hub and code.
    double perHubCode = retained / (double) options.hubs();
    out.printf(Locale.ROOT, "heap retained: %,d bytes (live after full GC: %,d -> %,d)%n", retained,
        empty.totalBytes(), filled.totalBytes());
    out.printf(Locale.ROOT, "per hub and code: %.1f bytes (issues 4 and 18 target: at most 256)%n", perHubCode);
    out.println("| class | instances per hub | bytes per hub | share |");
    out.println("|---|--:|--:|--:|");
    List<HeapHistogram.ClassCount> grown = filled.growthSince(empty);
    for (HeapHistogram.ClassCount c : grown.subList(0, Math.min(options.top(), grown.size()))) {
      out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.1f %% |%n", c.className(), c.instances() / (double) options.hubs(),
          c.bytes() / (double) options.hubs(), 100.0 * c.bytes() / retained);
    }
  }

  record MemoryOptions(int hubs, TrackedState state, String store, InMemoryFormat format, String clusterConfig, int top,
      boolean help) {
    static MemoryOptions parse(String[] args) {
      int hubs = 1_000_000;
      TrackedState state = TrackedState.ONE_CODE;
      String store = "member";
      InMemoryFormat format = null;
      String clusterConfig = "cluster-config/single.xml";
      int top = 15;
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          help = true;
          continue;
        }
        if (i + 1 >= args.length) throw new IllegalArgumentException("unknown argument or missing value: '" + flag + "'");
        String value = args[++i];
        switch (flag) {
          case "--hubs" -> hubs = positive(flag, value);
          case "--state" -> state = TrackedState.byName(value);
          case "--store" -> {
            if (!value.equals("member") && !value.equals("plain")) throw new IllegalArgumentException("--store must be member or plain");
            store = value;
          }
          case "--format" -> {
            try {
              format = InMemoryFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("--format must be OBJECT or BINARY, got '" + value + "'");
            }
          }
          case "--cluster-config" -> clusterConfig = value;
          case "--top" -> top = positive(flag, value);
          default -> throw new IllegalArgumentException("unknown argument '" + flag + "'");
        }
      }
      return new MemoryOptions(hubs, state, store, format, clusterConfig, top, help);
    }

    private static int positive(String flag, String value) {
      try {
        int n = Integer.parseInt(value.replace("_", ""));
        if (n > 0) return n;
      } catch (NumberFormatException e) {
        // Said below.
      }
      throw new IllegalArgumentException(flag + " must be a positive whole number, got '" + value + "'");
    }
  }
}
