package org.csp.edge.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.csp.edge.consolidation.AlertPolicy;

/**
 * Everything a node can be told, with its defaults. Built by {@link ConfigLoader} from a YAML or JSON file plus
 * environment overrides; README.md lists every setting. Values are checked here so that a bad configuration
 * stops the node at start with a message that names the setting.
 */
public record NodeConfig(
    String region,
    String nodeId,
    String bindHost,
    int mqttPort,
    int httpPort,
    int mqttInstances,
    Limits limits,
    Upstream upstream,
    EmbeddedBroker embeddedBroker,
    Outbox outbox,
    String clusterConfig,
    Path dataDir,
    Duration sweepInterval,
    Duration statusLogInterval,
    AlertPolicy policy) {

  /** Wire-format limits (src/docs/wire-format.md, "Limits"). */
  public record Limits(int maxMessageBytes, int maxPayloadBase64Chars) {
    public Limits {
      if (maxMessageBytes < 1024) throw new ConfigException("limits.maxMessageBytes must be at least 1024");
      if (maxPayloadBase64Chars < 4) throw new ConfigException("limits.maxPayloadBase64 must be at least 4");
    }
  }

  /** The DSP's broker. A null {@code url} means: start the embedded broker and publish there. */
  public record Upstream(
      URI url,
      String username,
      Path passwordFile,
      String topicPrefix,
      String clientId,
      int maxInflight,
      Duration ackTimeout,
      Duration reconnectMin,
      Duration reconnectMax) {
    public Upstream {
      if (url != null && !("tcp".equals(url.getScheme()) || "ssl".equals(url.getScheme()))) {
        throw new ConfigException("NODE_UPSTREAM_URL / upstream.url must be tcp://host:port or ssl://host:port, was " + url);
      }
      if (url != null && (url.getHost() == null || url.getPort() < 0)) {
        throw new ConfigException("upstream.url needs a host and a port, e.g. tcp://dsp-broker:1883; was " + url);
      }
      if (maxInflight < 1 || maxInflight > 65_000) throw new ConfigException("upstream.maxInflight must be 1..65000");
      if (!topicPrefix.endsWith("/")) throw new ConfigException("upstream.topicPrefix must end with '/'");
    }

    public boolean embedded() {
      return url == null;
    }
  }

  public record EmbeddedBroker(String host, int port) {}

  /**
   * Events waiting for the upstream broker's PUBACK. Past {@code capacity} the node applies back-pressure
   * southbound (holds PUBACKs, answers HTTP 503) until the depth falls to {@code resumeAt}; it never drops.
   */
  public record Outbox(int capacity, int resumeAt, Duration drainTimeout) {
    public Outbox {
      if (capacity < 1) throw new ConfigException("outbox.capacity must be at least 1");
      if (resumeAt < 0 || resumeAt >= capacity) throw new ConfigException("outbox.resumeAt must be below outbox.capacity");
    }
  }

  /** The topic prefix with {@code {region}} filled in. */
  public String topicPrefix() {
    return upstream.topicPrefix().replace("{region}", region);
  }

  /** The configuration as operators see it on the API: never any secret. */
  public JsonObject toPublicJson() {
    return new JsonObject()
        .put("region", region)
        .put("nodeId", nodeId)
        .put("bindHost", bindHost)
        .put("mqttPort", mqttPort)
        .put("httpPort", httpPort)
        .put("upstream", upstream.embedded() ? "embedded" : upstream.url().toString())
        .put("topicPrefix", topicPrefix())
        .put("outboxCapacity", outbox.capacity())
        .put("clusterConfig", clusterConfig);
  }
}
