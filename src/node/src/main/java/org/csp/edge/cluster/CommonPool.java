package org.csp.edge.cluster;

import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JDK's common pool at least two threads. Hazelcast 5.3 completes some of its own futures with
 * {@code whenCompleteAsync} on the default executor ({@code IMap.submitToKeys}, which the receipts use). On a machine
 * or container with 2 CPUs or fewer the common pool has parallelism 1, and {@code CompletableFuture} then starts a
 * new thread for every such completion: 1,297 threads started in a 69 s bench run, and 140 % of a core at times in
 * threads named {@code Thread-N} (src/bench/results/2026-11-23-bench5.md).
 */
public final class CommonPool {
  public static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
  /** The least parallelism at which CompletableFuture uses the pool instead of a thread per task. */
  public static final int AT_LEAST = 2;

  private CommonPool() {}

  /** Before anything touches {@link ForkJoinPool}: the pool reads the property once, when it is created. */
  public static void atLeastTwoThreads() {
    if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= AT_LEAST) {
      System.setProperty(PARALLELISM, Integer.toString(AT_LEAST));
    }
  }

  /** False when the pool was created before {@link #atLeastTwoThreads} could act (an embedding, a test JVM). */
  public static boolean threaded() {
    return ForkJoinPool.getCommonPoolParallelism() >= AT_LEAST;
  }
}
