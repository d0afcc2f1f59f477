package org.csp.edge.upstream;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClientOptions;
import org.csp.edge.decision.NodeClock;

/**
 * The node's retained status on {@code {prefix}node/{nodeId}/status} (wire format, rev 2, "Node status"):
 * {@code online} once connected, {@code offline} at a clean stop, and {@code offline} as the MQTT last will, so the
 * broker marks a node that dies. Not an event: no eventId, no count, not in the accounting. The will is fixed when
 * the connection is made, so its {@code at} is the time of that connect, not of the death.
 */
public final class NodePresence {
  private final String region;
  private final String nodeId;
  private final String bootId;
  private final String topic;
  private final NodeClock clock;
  private final IsoMillis isoMillis = new IsoMillis();

  public NodePresence(String region, String nodeId, String bootId, String topicPrefix, NodeClock clock) {
    this.region = region;
    this.nodeId = nodeId;
    this.bootId = bootId;
    this.topic = topicPrefix + "node/" + nodeId + "/status";
    this.clock = clock;
  }

  public String topic() {
    return topic;
  }

  /** The last will for a connection about to be made: retained, QoS 1, {@code offline}. */
  public MqttClientOptions withWill(MqttClientOptions options) {
    return options.setWillFlag(true).setWillTopic(topic).setWillMessageBytes(offline())
        .setWillQoS(MqttQoS.AT_LEAST_ONCE.value()).setWillRetain(true);
  }

  public Buffer online() {
    return message("online");
  }

  public Buffer offline() {
    return message("offline");
  }

  private Buffer message(String status) {
    return new JsonObject().put("nodeId", nodeId).put("region", region).put("status", status)
        .put("at", isoMillis.format(clock.millis())).put("bootId", bootId).toBuffer();
  }
}
