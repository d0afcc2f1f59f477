package org.csp.edge;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.Credentials;
import org.csp.edge.security.HttpTokens;

/**
 * {@code csp-edge-node config check FILE}: what {@code run} would say of the file and the NODE_* environment,
 * without starting anything. The credentials and tokens files are read too, as the start reads them. Exit 0 with
 * a short summary, or 2 with every problem (as {@code run} would refuse to start).
 */
public final class ConfigCheck {
  private static final String USAGE = "usage: csp-edge-node config check FILE";

  private ConfigCheck() {}

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length != 2 || !args[0].equals("check")) {
      err.println(USAGE);
      return 2;
    }
    NodeConfig c;
    try {
      c = ConfigLoader.load(Path.of(args[1]), env);
      if (c.security().mqtt().credentialsFile() != null) Credentials.load(c.security().mqtt().credentialsFile());
      if (c.security().http().tokensFile() != null) HttpTokens.load(c.security().http().tokensFile());
    } catch (ConfigException e) {
      err.println(args[1] + ": configuration refused");
      e.problems().forEach(p -> err.println("  " + p));
      return 2;
    }
    ConfigLoader.unknownEnvironment(env).forEach(w -> err.println("warning: " + w));
    out.println("configuration OK: " + args[1]);
    out.println(summary(c));
    return 0;
  }

  static String summary(NodeConfig c) {
    NodeConfig.Security s = c.security();
    return String.join("\n",
        "  node        " + c.region() + "/" + c.nodeId() + " on " + c.bindHost() + ", MQTT " + c.mqttPort()
            + (s.tls().enabled() && s.tls().onMqtt() ? " (TLS)" : "") + ", HTTP " + c.httpPort()
            + (s.tls().enabled() && s.tls().onHttp() ? " (TLS)" : ""),
        "  upstream    " + (c.upstream().embedded() ? "embedded broker on " + c.embeddedBroker().host() + ":"
            + c.embeddedBroker().port() : c.upstream().url()) + ", topics " + c.topicPrefix(),
        "  cluster     " + c.clusterConfig(),
        "  logins      MQTT " + (s.mqtt().credentialsFile() != null ? "credentials file" : "no credentials file")
            + (s.mqtt().allowAnonymous() ? ", anonymous allowed" : "") + "; HTTP "
            + (s.http().tokensFile() != null ? "tokens file" : "no tokens file")
            + (s.http().allowAnonymous() ? ", anonymous allowed" : ""),
        "  policy      " + c.policy().codes().size() + " code overrides; storm at "
            + c.policy().defaults().stormThreshold() + " alerts in " + c.policy().defaults().stormWindow().toSeconds() + " s");
  }
}
