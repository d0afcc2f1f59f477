package org.csp.edge.ops;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Log format and the node's identity in every log line. */
public final class LogContext {
  public static final String ENV_LOG_FORMAT = "NODE_LOG_FORMAT";

  private LogContext() {}

  /** Must run before the first logger is created: logback reads its configuration once. */
  public static void chooseFormat(java.util.Map<String, String> env) {
    if ("json".equalsIgnoreCase(env.get(ENV_LOG_FORMAT)) && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
  }

  /** Region and node id as logger-context properties: the JSON encoder writes them on every line. */
  public static void identify(String region, String nodeId) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.putProperty("region", region);
      context.putProperty("nodeId", nodeId);
    }
  }
}
