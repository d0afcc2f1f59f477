package org.csp.edge.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

public final class Await {
  private Await() {}

  /** Polls until the condition holds; fails with {@code why} (evaluated at the end) when it never does. */
  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> why) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + ": " + why.get());
      Thread.sleep(50);
    }
  }
}
