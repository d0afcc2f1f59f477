package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryXmlConfig;
import com.hazelcast.config.InMemoryYamlConfig;
import com.hazelcast.config.EntryListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.cluster.HubStateStore;
import org.csp.edge.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the cluster manager from a Hazelcast configuration in {@code cluster-config/} (single, local, kubernetes)
 * or any path. A name that is not a file is looked up in the jar, which carries cluster-config/ too, so the
 * defaults work from anywhere. XML or YAML, by the file's ending.
 */
public final class ClusterConfigs {
  private static final Logger log = LoggerFactory.getLogger(ClusterConfigs.class);
  private ClusterConfigs() {}

  public static HazelcastClusterManager clusterManager(String location) {
    return clusterManager(location, Map.of());
  }

  /**
   * {@code memberLocal}: objects that operations running on this member reach through Hazelcast's user context
   * (the member's own registry of the hubs it owns).
   */
  public static HazelcastClusterManager clusterManager(String location, Map<String, Object> memberLocal) {
    return new HazelcastClusterManager(memberConfig(location, memberLocal));
  }

  /**
   * The member's Hazelcast configuration, as a node runs it: also for a bare member without Vert.x (the memory
   * measurement, {@code bench memory}), so that what is measured is the map as cluster-config/ sets it up.
   */
  public static Config memberConfig(String location, Map<String, Object> memberLocal) {
    // Read when Hazelcast's first class loads: set before, or it logs through java.util.logging.
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = load(location);
    if (config.getMapConfigOrNull(HubStateStore.MAP_NAME) == null) {
      throw new ConfigException("cluster configuration " + location + " has no map '" + HubStateStore.MAP_NAME
          + "': start from one of cluster-config/, which set its format and backups, and the hubs' idle period");
    }
    MapConfig hubMap = config.getMapConfig(HubStateStore.MAP_NAME);
    if (hubMap.getMaxIdleSeconds() > 0) {
      // An older configuration: its idle period is kept, but the owners expire hubs, not Hazelcast (see hubIdle).
      if (config.getProperty(HUB_IDLE_PROPERTY) == null) config.setProperty(HUB_IDLE_PROPERTY, String.valueOf(hubMap.getMaxIdleSeconds()));
      log.info("{}: max-idle-seconds on '{}' is done by the hubs' owners ({} = {})", location, HubStateStore.MAP_NAME,
          HUB_IDLE_PROPERTY, config.getProperty(HUB_IDLE_PROPERTY));
      hubMap.setMaxIdleSeconds(0);
    }
    hubIdle(config); // refused at start if it is not a number of seconds
    protectWithQuorum(config, location);
    HubCopies.declare(config);
    ClusterSerializers.register(config); // what crosses members: Compact, versioned (design.md, "Cluster state and upgrades")
    config.setUserContext(new ConcurrentHashMap<>(memberLocal));
    config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the node's own hook drains first
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    return config;
  }

  /**
   * How long a hub with no alert and nothing held stays in {@code csp-hub-state}: the member property
   * {@value #HUB_IDLE_PROPERTY} (cluster-config/*.xml set it from NODE_HUB_IDLE_SECONDS), 25 hours when unset, 0 for
   * never. The owners' sweeper forgets such hubs (design.md, "Where state lives"); the map itself has no
   * {@code max-idle-seconds}, whose expiry metadata would cost 64 bytes a hub and would also drop a hub that holds
   * events or shares.
   */
  public static Duration hubIdle(Config config) {
    String value = config.getProperty(HUB_IDLE_PROPERTY);
    if (value == null || value.isBlank()) return Duration.ofSeconds(DEFAULT_HUB_IDLE_SECONDS);
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds >= 0) return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new ConfigException(HUB_IDLE_PROPERTY + " (NODE_HUB_IDLE_SECONDS) must be a whole number of seconds, 0 or more, got '"
        + value + "'");
  }

  /**
   * The quorum ({@value #QUORUM_PROPERTY}, from NODE_CLUSTER_QUORUM): with 2 or more, the hub map and the group records
   * refuse every operation on a member whose side of the cluster has fewer members heard within the heartbeat
   * tolerance ({@link Quorum}, {@link MembersQuorum}). Hazelcast's own {@code minimum-cluster-size} cannot say 1, and
   * cannot count members that left on purpose, so the protection is made here rather than in the XML. A map that
   * names a protection of its own keeps it.
   */
  static void protectWithQuorum(Config config, String location) {
    int quorum = quorum(config, location);
    Duration tolerance = heartbeatTolerance(config, location); // refused when wrong, with a quorum or without
    if (quorum < 2) return;
    MembersQuorum function = new MembersQuorum(quorum, tolerance, heartbeatInterval(config));
    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(Quorum.NAME, true, quorum)
        .setProtectOn(SplitBrainProtectionOn.READ_WRITE)
        .setFunctionImplementation(function));
    for (String map : List.of(HubStateStore.MAP_NAME, SealedGroup.MAP_NAME)) {
      MapConfig m = config.getMapConfig(map);
      if (m.getSplitBrainProtectionName() == null) m.setSplitBrainProtectionName(Quorum.NAME);
    }
    config.getMapConfig(LeavingMembers.MAP_NAME).addEntryListenerConfig(
        new EntryListenerConfig(function.announcements(), false, false));
  }

  /** {@value #QUORUM_PROPERTY}: a whole number, 1 (no quorum: a single node, or a cluster that accepts splits) or more. */
  static int quorum(Config config, String location) {
    String value = config.getProperty(QUORUM_PROPERTY);
    if (value == null || value.isBlank()) return 1;
    try {
      int quorum = Integer.parseInt(value.trim());
      if (quorum >= 1) return quorum;
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new ConfigException(QUORUM_PROPERTY + " (NODE_CLUSTER_QUORUM) in " + location
        + " must be a whole number of members, 1 or more (a majority of the members the cluster is meant to have), got '"
        + value + "'");
  }

  /**
   * {@value #HEARTBEAT_TOLERANCE_PROPERTY} (from NODE_CLUSTER_HEARTBEAT_TOLERANCE): how long another member may go
   * unheard and still count towards the quorum ({@link MembersQuorum}). A whole number of seconds greater than
   * Hazelcast's heartbeat interval (a member heard at every heartbeat must always count); unset, {@value
   * #DEFAULT_HEARTBEATS_TOLERATED} heartbeat intervals.
   */
  static Duration heartbeatTolerance(Config config, String location) {
    Duration interval = heartbeatInterval(config);
    String value = config.getProperty(HEARTBEAT_TOLERANCE_PROPERTY);
    if (value == null || value.isBlank()) return interval.multipliedBy(DEFAULT_HEARTBEATS_TOLERATED);
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds > interval.toSeconds()) return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new ConfigException(HEARTBEAT_TOLERANCE_PROPERTY + " (NODE_CLUSTER_HEARTBEAT_TOLERANCE) in " + location
        + " must be a whole number of seconds greater than the heartbeat interval (" + HEARTBEAT_INTERVAL_PROPERTY
        + " = " + interval.toSeconds() + "), or a member heard at every heartbeat could fail to count; got '" + value + "'");
  }

  /**
   * Hazelcast's heartbeat interval, as the member will run it: its property, else Hazelcast's default of 5 s; 0 or less
   * runs as 1 s.
   */
  static Duration heartbeatInterval(Config config) {
    long seconds = new HazelcastProperties(config).getSeconds(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS);
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /** The member property for how long a member may go unheard and still count towards the quorum, in seconds. */
  public static final String HEARTBEAT_TOLERANCE_PROPERTY = "csp.cluster.heartbeat.tolerance.seconds";
  /** Hazelcast's property for how often members send each other heartbeats. */
  static final String HEARTBEAT_INTERVAL_PROPERTY = "hazelcast.heartbeat.interval.seconds";
  /** The tolerance when unset, in heartbeat intervals: a few lost or late heartbeats never cost the quorum. */
  static final int DEFAULT_HEARTBEATS_TOLERATED = 5;

  /** The member property for the quorum: members a side of the cluster needs to decide. */
  public static final String QUORUM_PROPERTY = "csp.cluster.quorum";

  /** The member property for the hubs' idle period, in seconds. */
  public static final String HUB_IDLE_PROPERTY = "csp.hub.idle.seconds";
  /** 25 hours: longer than the 24 hours duplicate headers are remembered, and than any quiet period. */
  public static final long DEFAULT_HUB_IDLE_SECONDS = 90_000;

  static Config load(String location) {
    String text = read(location);
    String expanded = expandEnvironment(text);
    return location.endsWith(".yaml") || location.endsWith(".yml")
        ? new InMemoryYamlConfig(expanded)
        : new InMemoryXmlConfig(expanded);
  }

  private static String read(String location) {
    Path path = Path.of(location);
    try {
      if (Files.isRegularFile(path)) return Files.readString(path, StandardCharsets.UTF_8);
      try (InputStream in = ClusterConfigs.class.getClassLoader().getResourceAsStream(location)) {
        if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read cluster configuration " + location + ": " + e.getMessage());
    }
    throw new ConfigException("cluster configuration " + location
        + " not found (NODE_CLUSTER_CONFIG: a file in cluster-config/ such as cluster-config/local.xml, or a path)");
  }

  /** ${NAME:default} placeholders, so one file serves every pod (service DNS, ports) without templating. */
  static String expandEnvironment(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = System.getenv(m.group(1));
      if (value == null) value = System.getProperty(m.group(1));
      if (value == null) value = m.group(2) == null ? "" : m.group(2);
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
