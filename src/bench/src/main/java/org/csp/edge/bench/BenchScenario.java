package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The traffic shapes the benchmark drives, named after the simulator's scenarios (plus head-end batches), each made
 * endless and rate-controlled. Every one carries the {@link LatencyProbe} within its offered rate.
 */
enum BenchScenario {
  HEALTHY("healthy", "single alerts of 24 background codes from a large hub population, at most 2 of a code per hub"
      + " per minute: nothing for a hub storm to consolidate") {
    @Override
    MessageStream[] streams(long hubPool) {
      return new MessageStream[] {new HealthyTraffic(hubPool)};
    }

    @Override
    JsonObject policy(double maxRate) {
      return aboveBackground(maxRate);
    }
  },
  GPF_8F3E("gpf-8f3e", "one hub, its GPF repeating 8F3E (1 in 4 alerts in arrays of 5), its other devices raising"
      + " ordinary alerts") {
    @Override
    MessageStream[] streams(long hubPool) {
      HubStorm storm = new HubStorm();
      return new MessageStream[] {storm.gpf(), storm.bystanders()};
    }
  },
  VOLTAGE("voltage", VoltageStorm.OPEN_HUBS + " hubs storming at once, each repeating 8014 and 8015 "
      + VoltageStorm.REPEATS_PER_CODE + " times, then replaced") {
    @Override
    MessageStream[] streams(long hubPool) {
      return new MessageStream[] {new VoltageStorm(), null, new HealthyTraffic(hubPool)};
    }
  },
  POWER_RESTORE("power-restore", "8F12 once from each of ever more hubs, half in head-end arrays of "
      + PowerRestoreBurst.BATCH) {
    @Override
    MessageStream[] streams(long hubPool) {
      return new MessageStream[] {new PowerRestoreBurst(), null, new HealthyTraffic(hubPool)};
    }
  },
  REGIONAL_VOLTAGE("regional-voltage", RegionalVoltageStorm.STORMING_HUBS + " hubs storming at once on 8014 and 8015 ("
      + RegionalVoltageStorm.STORM_PERCENT + " % of the alerts) over the background of "
      + RegionalVoltageStorm.BACKGROUND_HUBS + " hubs; the storm moves on to fresh hubs") {
    @Override
    MessageStream[] streams(long hubPool) {
      RegionalVoltageStorm storm = new RegionalVoltageStorm();
      return new MessageStream[] {storm, null, storm.background()};
    }
  },
  POWER_RESTORATION("power-restoration", "power back hub after hub: " + PowerRestoration.RESTORED + " once from each"
      + " hub's meter, then " + PowerRestoration.REJOINED + " from two of its devices; 100,000 hubs within a minute at"
      + " full rate") {
    @Override
    MessageStream[] streams(long hubPool) {
      return new MessageStream[] {new PowerRestoration(), null, new HealthyTraffic(hubPool)};
    }
  },
  SEVERAL_CODES("several-codes", "regional bursts on " + SeveralCodesBurst.CODES + " at once: each of ever more hubs"
      + " raises each once") {
    @Override
    MessageStream[] streams(long hubPool) {
      return new MessageStream[] {new SeveralCodesBurst(), null, new HealthyTraffic(hubPool)};
    }
  },
  HEAD_END_50("head-end-50", "the healthy traffic sent by a head-end in arrays of " + HeadEndBatches.SIZE
      + " alerts from as many hubs, topic alerts") {
    @Override
    MessageStream[] streams(long hubPool) {
      return new MessageStream[] {new HeadEndBatches(new HealthyTraffic(hubPool))};
    }

    @Override
    JsonObject policy(double maxRate) {
      return aboveBackground(maxRate);
    }
  };

  /** The production default's window of the regional rule, in seconds (node/config.yaml, policy.defaults). */
  private static final int REGIONAL_WINDOW_SECONDS = 10;
  /** How far above the background's peak count per code and window a region puts its regional threshold. */
  private static final int BACKGROUND_HEADROOM = 2;

  private final String cliName;
  private final String description;

  BenchScenario(String cliName, String description) {
    this.cliName = cliName;
    this.description = description;
  }

  String cliName() {
    return cliName;
  }

  String description() {
    return description;
  }

  /**
   * The node's alert policy for this scenario, on top of the production defaults; null: the defaults as they are.
   * Background traffic is what a region tunes its regional threshold above (else every busy code would count as a
   * regional burst and be grouped, which is the opposite of healthy): the healthy scenarios set it to twice their
   * own peak count of one code per window, at the run's highest rate. Storm scenarios keep the defaults.
   */
  JsonObject policy(double maxRate) {
    return null;
  }

  private static JsonObject aboveBackground(double maxRate) {
    long peakPerCode = (long) Math.ceil(maxRate / HealthyTraffic.CODES.size() * REGIONAL_WINDOW_SECONDS);
    int threshold = (int) Math.min(Integer.MAX_VALUE, Math.max(200, BACKGROUND_HEADROOM * peakPerCode));
    // The fixed threshold, placed above the background by hand: runs are minutes long, within the baseline's
    // warm-up and half-life, and stay comparable with the earlier runs in results/.
    return new JsonObject().put("defaults", new JsonObject().put("regionalThreshold", threshold)
        .put("regionalWindow", REGIONAL_WINDOW_SECONDS + "s").put("regionalDetection", "threshold"));
  }

  /**
   * The scenario's own streams; the first is its main traffic, a second one (bystanders, if not null) has a fixed slow
   * rate, a third is the region's background that the node hears before the event ({@link #LEAD_IN}).
   */
  abstract MessageStream[] streams(long hubPool);

  /**
   * How long the node hears the region's background before a regional event: the production default's warm-up of the
   * regional baseline (node/config.yaml, {@code regionalWarmUp}: a member's first minute only learns) and one window.
   * The real event finds a node that has heard the region's ordinary traffic; without the lead-in a storm from the
   * first second would be learned as the background itself, and forwarded.
   */
  static final Duration LEAD_IN = java.time.Duration.ofSeconds(60 + 10);
  /** The region's ordinary alert rate before the event: a CSP region's background, as the generator sent. */
  static final double BACKGROUND_RATE = 3_000;

  /**
   * Opens the traffic. {@code maxRate} sizes the healthy hub population: 1.25 hubs per alert/s keeps any one code
   * from any one hub at 2 per minute or fewer even at the top rate (24 codes per hub, in turn).
   */
  Traffic open(double maxRate) {
    long hubPool = Math.max(50_000, (long) Math.ceil(maxRate * 1.25));
    MessageStream[] own = streams(hubPool);
    LatencyProbe probe = new LatencyProbe();
    return new Traffic() {
      @Override
      public List<StreamShare> at(double offered) {
        double probeRate = LatencyProbe.rateWithin(offered);
        double bystanders = own.length > 1 && own[1] != null ? Math.min(HubStorm.BYSTANDER_RATE, offered * 0.01) : 0;
        StreamShare main = new StreamShare(own[0], Math.max(0, offered - probeRate - bystanders), true);
        StreamShare latency = new StreamShare(probe, probeRate, false);
        return own.length > 1 && own[1] != null
            ? List.of(latency, new StreamShare(own[1], bystanders, false), main)
            : List.of(latency, main);
      }

      @Override
      public MessageStream background() {
        return own.length > 2 ? own[2] : null;
      }

      @Override
      public long probeAlerts() {
        return probe.sent();
      }
    };
  }

  static BenchScenario byName(String name) {
    for (BenchScenario s : values()) {
      if (s.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) return s;
    }
    throw new IllegalArgumentException("unknown scenario '" + name + "' (known: " + names() + ")");
  }

  static String names() {
    return Arrays.stream(values()).map(BenchScenario::cliName).collect(Collectors.joining(", "));
  }
}
