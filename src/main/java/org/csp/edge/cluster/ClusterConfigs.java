package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryXmlConfig;
import com.hazelcast.config.InMemoryYamlConfig;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.config.ConfigException;
import org.csp.edge.consolidation.HubStateStore;

/**
 * Builds the cluster manager from a Hazelcast configuration in {@code cluster-config/} (single, local, kubernetes)
 * or any path. A name that is not a file is looked up in the jar, which carries cluster-config/ too, so the
 * defaults work from anywhere. XML or YAML, by the file's ending.
 */
public final class ClusterConfigs {
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
          + "': start from one of cluster-config/, which set its format, backups and idle expiry");
    }
    config.setUserContext(new ConcurrentHashMap<>(memberLocal));
    config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the node's own hook drains first
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    return config;
  }

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
