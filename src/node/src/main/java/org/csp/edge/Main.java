package org.csp.edge;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.ops.LogContext;
import org.csp.edge.security.SecurityCommands;
import org.csp.edge.upstream.DeadLetterCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar csp-edge-node.jar run|hash-password|new-token|config ...}: the product's commands. The simulator, the demo
 * and the benchmark are tools with jars of their own; {@code node/csp-edge-node} runs each command from its jar.
 */
public final class Main {
  private static final String USAGE = """
      usage: csp-edge-node <command> [options]
        run [--config FILE]     run a node (settings: file, then NODE_* environment variables; see README.md)
        hash-password NAME      a line for the MQTT credentials file; the password is read from stdin (hash-password)
        new-token NAME          a bearer token and its line for the HTTP tokens file (new-token)
        config check FILE       check a configuration file and the NODE_* environment as run would, without starting
        dead-letters list|resend  the events the upstream broker refused: list them, or publish them again
      node/csp-edge-node also runs the tools: simulate, demo, bench (each with --help).
      """;

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Commands.main(args, USAGE, Map.of(
        "run", Main::run,
        "hash-password", rest -> SecurityCommands.hashPassword(rest, System.in, System.out, System.err),
        "new-token", rest -> SecurityCommands.newToken(rest, System.out, System.err),
        "config", rest -> ConfigCheck.run(rest, System.getenv(), System.out, System.err),
        "dead-letters", rest -> DeadLetterCommands.run(rest, System.getenv(), System.out, System.err)), Set.of("run"));
  }

  private static int run(String[] args) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) file = Path.of(args[++i]);
      else throw new ConfigException("run takes only --config FILE, got '" + args[i] + "'");
    }
    NodeConfig config = ConfigLoader.load(file, System.getenv());
    ConfigLoader.unknownEnvironment(System.getenv()).forEach(w -> log.warn("{}", w));
    LogContext.identify(config.region(), config.nodeId());
    Node node;
    try {
      node = Node.start(config).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("the node could not start: " + Commands.rootMessage(e));
      return 1;
    }
    stopOnSignal(node, config);
    return 0;
  }

  /**
   * Vert.x registers no shutdown hook and Hazelcast's is off: on SIGTERM the node drains and leaves the cluster
   * itself, so that its partitions migrate and its outbox reaches the broker (or the spill file). The whole stop
   * takes at most {@code node.stopTimeout} (the chart sets it from its grace period): when the orderly stop has not
   * finished {@link Node#SPILL_RESERVE} before that, the hook writes the spill itself and returns, and the JVM ends.
   */
  public static void stopOnSignal(Node node, NodeConfig config) {
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
    }, "csp-edge-node-shutdown"));
  }
}
