package org.csp.edge;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.ops.LogContext;
import org.csp.edge.inventory.InventoryCommands;
import org.csp.edge.policy.PolicyCommands;
import org.csp.edge.register.RegisterCommands;
import org.csp.edge.report.ReportCommands;
import org.csp.edge.security.SecurityCommands;
import org.csp.edge.silence.SilenceCommands;
import org.csp.edge.upstream.DeadLetterCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar csp-edge-node.jar run|config check|hash-password|new-token|dead-letters|policy|silence|report|inventory|completion ...}: the product's
 * commands, on picocli (exit codes in {@link Commands}). The simulator, the demo and the benchmark are tools with jars
 * of their own; {@code node/csp-edge-node} runs each command from its jar.
 */
@Command(name = "csp-edge-node", mixinStandardHelpOptions = true, versionProvider = CommandLines.JarVersion.class,
    description = "The CSP edge node: consolidates smart-meter alert storms at the edge of a CSP region.",
    footer = {"", "node/csp-edge-node also runs the tools: simulate, demo, verify, bench (each with --help).",
        "Exit codes: 0 ok, 1 failure, 2 usage error or configuration refused."})
public final class Main implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Spec
  CommandSpec spec;

  private Main() {}

  public static void main(String[] args) {
    Commands.main(commandLine(System.getenv(), System.in, System.out, System.err), args, Set.of("run"));
  }

  /** The product's command line, every subcommand on these environment variables and streams. */
  public static CommandLine commandLine(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    CommandLine cl = CommandLines.top(new Main());
    cl.addSubcommand(new Run(env, err));
    cl.addSubcommand(new ConfigCheck(env, out, err));
    cl.addSubcommand(new SecurityCommands.HashPassword(in, out, err));
    cl.addSubcommand(new SecurityCommands.NewToken(out, err));
    cl.addSubcommand(DeadLetterCommands.commandLine(env, out, err));
    cl.addSubcommand(PolicyCommands.commandLine(env, out));
    cl.addSubcommand(SilenceCommands.commandLine(env, out, err));
    cl.addSubcommand(new ReportCommands(env, out, err));
    cl.addSubcommand(InventoryCommands.commandLine(env, out, err));
    cl.addSubcommand(new RegisterCommands(env, out, err));
    return cl;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is needed");
  }

  @Command(name = "run", description = {"Run a node. Settings: the file, then the NODE_* environment variables (README.md).",
      "It stops on SIGTERM: drains, leaves the cluster, hands its outbox to the broker or the spill file."})
  static final class Run implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Option(names = "--config", paramLabel = "FILE", description = "The configuration file (YAML).")
    Path file;
    private final Map<String, String> env;
    private final PrintStream err;

    Run(Map<String, String> env, PrintStream err) {
      this.env = env;
      this.err = err;
    }

    @Override
    public Integer call() {
      NodeConfig config = ConfigLoader.load(file, env);
      ConfigLoader.unknownEnvironment(env).forEach(w -> log.warn("{}", w));
      LogContext.identify(config.region(), config.nodeId());
      Node node;
      try {
        node = Node.start(config).toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        err.println("the node could not start: " + CommandLines.rootMessage(e));
        return CommandLines.FAILED;
      }
      stopOnSignal(node, config);
      return CommandLines.OK;
    }
  }

  /**
   * Vert.x registers no shutdown hook and Hazelcast's is off: on SIGTERM the node drains and leaves the cluster
   * itself, so that its partitions migrate and its outbox reaches the broker (or the spill file). The whole stop
   * takes at most {@code node.stopTimeout} (the chart sets it from its grace period): when the orderly stop has not
   * finished {@link Node#SPILL_RESERVE} before that, the hook writes the spill itself and returns, and the JVM ends.
   */
  public static void stopOnSignal(Node node, NodeConfig config) {
    stopOnSignal(node, config, () -> { });
  }

  /** As {@link #stopOnSignal(Node, NodeConfig)}, then {@code afterStop} (the demo removes its data directory). */
  public static void stopOnSignal(Node node, NodeConfig config, Runnable afterStop) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CountDownLatch stopped = new CountDownLatch(1);
      node.stop().onComplete(ar -> stopped.countDown());
      try {
        if (!stopped.await(config.stopTimeout().minus(Node.SPILL_RESERVE).toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("node.stopTimeout {} nearly over and the stop not finished: spilling what the outbox holds and exiting",
              config.stopTimeout());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      node.spillNow(); // a no-op when the stop has written it
      afterStop.run();
    }, "csp-edge-node-shutdown"));
  }
}
