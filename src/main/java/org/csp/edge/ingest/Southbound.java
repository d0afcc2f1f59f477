package org.csp.edge.ingest;

import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.consolidation.AlertPipeline;
import org.csp.edge.ops.NodeStats;
import org.csp.edge.upstream.Outbox;

/** The node's southbound side: the MQTT server and the HTTP intake, sharing one parser and one accounting. */
public final class Southbound {
  private final NodeConfig config;
  private final AlertParser parser;
  private final IntakeAccounting accounting;
  private final Outbox outbox;

  public Southbound(NodeConfig config, AlertPipeline pipeline, Outbox outbox, NodeStats stats) {
    this.config = config;
    this.outbox = outbox;
    this.parser = new AlertParser(config.limits().maxMessageBytes(), config.limits().maxPayloadBase64Chars());
    this.accounting = new IntakeAccounting(pipeline, outbox, stats);
  }

  /** One MQTT server instance per call: deploy as many as there are event loops to use. */
  public Supplier<Deployable> mqttServer() {
    return () -> new MqttIntake(config.bindHost(), config.mqttPort(), config.limits().maxMessageBytes(), parser, accounting);
  }

  public void mountHttp(Router router) {
    new HttpIntake(parser, accounting, outbox, config.limits().maxMessageBytes()).mount(router);
  }
}
