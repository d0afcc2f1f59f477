package org.csp.edge.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/** Log format and the node's identity in every log line. */
public final class LogContext {
  public static final String ENV_LOG_FORMAT = "NODE_LOG_FORMAT";

  private LogContext() {}

  /**
   * JSON lines when {@code NODE_LOG_FORMAT=json} (and no logback configuration file is given). Logback reads its
   * configuration when the first logger is created, which a class's static logger may already have done before any
   * {@code main} runs: the context is then configured again from the JSON file.
   */
  public static void chooseFormat(java.util.Map<String, String> env) {
    if (!"json".equalsIgnoreCase(env.get(ENV_LOG_FORMAT)) || System.getProperty("logback.configurationFile") != null) return;
    System.setProperty("logback.configurationFile", JSON_CONFIGURATION);
    java.net.URL json = LogContext.class.getResource("/" + JSON_CONFIGURATION);
    if (json != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      try {
        configurator.doConfigure(json);
      } catch (JoranException e) {
        System.err.println("cannot read " + JSON_CONFIGURATION + ": " + e.getMessage());
      }
    }
  }

  private static final String JSON_CONFIGURATION = "logback-json.xml";

  /** Region and node id as logger-context properties: the JSON encoder writes them on every line. */
  public static void identify(String region, String nodeId) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.putProperty("region", region);
      context.putProperty("nodeId", nodeId);
    }
  }
}
