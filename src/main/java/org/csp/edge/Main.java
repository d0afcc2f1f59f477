package org.csp.edge;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cluster.CommonPool;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.ops.LogContext;
import org.csp.edge.security.SecurityCommands;
import org.csp.edge.sim.SimulateCommand;

/** {@code java -jar csp-edge-node.jar run|simulate|demo ...} */
public final class Main {
  private static final String USAGE = """
      usage: csp-edge-node <command> [options]
        run [--config FILE]     run a node (settings: file, then NODE_* environment variables; see README.md)
        simulate [options]      send a storm scenario to a node and report what was sent (simulate --help)
        demo [--exit]           run a node on embedded defaults and show a storm being consolidated
        bench [options]         throughput and latency against a bare Mosquitto hop (bench --help)
        bench memory [options]  heap per tracked hub and code, with a million hubs in state (bench memory --help)
        hash-password NAME      a line for the MQTT credentials file; the password is read from stdin (hash-password)
        new-token NAME          a bearer token and its line for the HTTP tokens file (new-token)
      """;

  private Main() {}

  public static void main(String[] args) {
    CommonPool.atLeastTwoThreads();
    LogContext.chooseFormat(System.getenv());
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    int code;
    try {
      code = switch (args[0]) {
        case "run" -> run(rest);
        case "simulate" -> SimulateCommand.run(rest, System.out);
        case "demo" -> DemoCommand.run(rest, System.out);
        case "bench" -> rest.length > 0 && rest[0].equals("memory")
            ? org.csp.edge.bench.memory.MemoryCommand.run(Arrays.copyOfRange(rest, 1, rest.length), System.out)
            : org.csp.edge.bench.BenchCommand.run(rest, System.out);
        case "hash-password" -> SecurityCommands.hashPassword(rest, System.in, System.out, System.err);
        case "new-token" -> SecurityCommands.newToken(rest, System.out, System.err);
        default -> {
          System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
          yield 2;
        }
      };
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println(args[0] + " failed: " + rootMessage(e));
      code = 1;
    }
    if (code != 0 || !"run".equals(args[0])) System.exit(code);
  }

  private static int run(String[] args) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) file = Path.of(args[++i]);
      else throw new ConfigException("run takes only --config FILE, got '" + args[i] + "'");
    }
    NodeConfig config = ConfigLoader.load(file, System.getenv());
    LogContext.identify(config.region(), config.nodeId());
    Node node;
    try {
      node = Node.start(config).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("the node could not start: " + rootMessage(e));
      return 1;
    }
    stopOnSignal(node, config);
    return 0;
  }

  /**
   * Vert.x registers no shutdown hook and Hazelcast's is off: on SIGTERM the node drains and leaves the cluster
   * itself, so that its partitions migrate and its outbox reaches the broker (or the spill file).
   */
  static void stopOnSignal(Node node, NodeConfig config) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CountDownLatch stopped = new CountDownLatch(1);
      node.stop().onComplete(ar -> stopped.countDown());
      try {
        stopped.await(config.outbox().drainTimeout().toSeconds() + 30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "csp-edge-node-shutdown"));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
