package org.csp.edge;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csp.edge.config.ConfigException;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.cluster.ClusterConfigs;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.Credentials;
import org.csp.edge.security.HttpTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code csp-edge-node config check FILE}: what {@code run} would say of the file and the NODE_* environment,
 * without starting anything. The credentials and tokens files are read too, as the start reads them. Exit 0 with
 * a short summary, or 2 with every problem (as {@code run} would refuse to start).
 */
@Command(name = "config", description = "Check a configuration as run would read it.",
    subcommands = ConfigCheck.Check.class)
public final class ConfigCheck extends CommandLines.StreamsGroup {
  @Mixin
  CommandLines.Help help;
  public ConfigCheck(Map<String, String> env, PrintStream out, PrintStream err) {
    super(env, out, err);
  }

  /** {@code config check FILE} on these streams; the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return CommandLines.execute(new ConfigCheck(env, out, err), args, out, err);
  }

  @Command(name = "check", description = {"Check a configuration file and the NODE_* environment as run would,"
      + " without starting.", "Exit 0 with a summary, or 2 with every problem."})
  static final class Check implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @ParentCommand
    ConfigCheck config;
    @Parameters(paramLabel = "FILE", description = "The configuration file (YAML).")
    Path file;

    @Override
    public Integer call() {
      return config.check(file);
    }
  }

  private int check(Path file) {
    NodeConfig c;
    try {
      c = ConfigLoader.load(file, env);
      if (c.security().mqtt().credentialsFile() != null) Credentials.load(c.security().mqtt().credentialsFile());
      if (c.security().http().tokensFile() != null) HttpTokens.load(c.security().http().tokensFile());
      clusterConfiguration(c.clusterConfig());
    } catch (ConfigException e) {
      err.println(file + ": configuration refused");
      e.problems().forEach(p -> err.println("  " + p));
      return CommandLines.USAGE;
    }
    ConfigLoader.unknownEnvironment(env).forEach(w -> err.println("warning: " + w));
    out.println("configuration OK: " + file);
    out.println(summary(c));
    return CommandLines.OK;
  }

  /** The member's Hazelcast configuration, read and checked as the start reads it (nothing is started). */
  private static void clusterConfiguration(String location) {
    try {
      ClusterConfigs.memberConfig(location, Map.of());
    } catch (ConfigException e) {
      throw new ConfigException("cluster.config (NODE_CLUSTER_CONFIG): " + e.getMessage());
    } catch (RuntimeException e) { // Hazelcast's own refusal of the file's content
      throw new ConfigException("cluster.config (NODE_CLUSTER_CONFIG): " + location + " is not a cluster configuration"
          + " Hazelcast takes: " + e.getMessage());
    }
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
