package org.csp.edge.ingest;

import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import org.csp.edge.accounting.NodeStats;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.alert.DeviceModels;
import org.csp.edge.cluster.AlertPipeline;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.HttpGuard;
import org.csp.edge.security.MqttGuard;
import org.csp.edge.upstream.Outbox;

/**
 * The node's southbound side: the MQTT server and the HTTP intake, sharing one parser and one accounting, each
 * behind its guard (TLS, authentication, authorisation, limits: org.csp.edge.security).
 */
public final class Southbound {
  private final NodeConfig config;
  private final AlertParser parser;
  private final IntakeAccounting accounting;
  private final Outbox outbox;
  private final MqttGuard mqttGuard;
  private final HttpGuard httpGuard;

  /** @param models where an alert without a dmc gets one (the inventory) */
  public Southbound(NodeConfig config, AlertPipeline pipeline, Outbox outbox, NodeStats stats, DeviceModels models) {
    this.config = config;
    this.outbox = outbox;
    this.parser = new AlertParser(config.limits().maxMessageBytes(), config.limits().maxPayloadBase64Chars(),
        config.limits().maxAlertsPerBatch(), models);
    this.accounting = new IntakeAccounting(pipeline, outbox, stats, config.limits().maxUndecidedAlerts());
    this.mqttGuard = new MqttGuard(config, stats.security);
    this.httpGuard = new HttpGuard(config, stats.security);
  }

  /** Authentication, authorisation and limits of the HTTP API, for its server and router. */
  public HttpGuard httpGuard() {
    return httpGuard;
  }

  /** One MQTT server instance per call: deploy as many as there are event loops to use. */
  public Supplier<Deployable> mqttServer() {
    return () -> new MqttIntake(config.bindHost(), config.mqttPort(), config.limits().maxMessageBytes(), parser, accounting,
        mqttGuard);
  }

  public void mountHttp(Router router) {
    new HttpIntake(parser, accounting, outbox, config.limits().maxMessageBytes()).mount(router);
  }
}
