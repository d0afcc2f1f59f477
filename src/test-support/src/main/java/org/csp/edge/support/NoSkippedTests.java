package org.csp.edge.support;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * A test that would skip itself (an assumption that does not hold) fails instead, naming the test and why: a green
 * run means every test ran. Registered for every test class by JUnit's extension auto-detection (META-INF/services,
 * switched on in the root pom, which also switches off the conditions that disable a test).
 */
public final class NoSkippedTests implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    throw failed(context, thrown);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    throw failed(context, thrown);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    throw failed(context, thrown);
  }

  private static Throwable failed(ExtensionContext context, Throwable thrown) {
    if (!(thrown instanceof TestAbortedException)) return thrown;
    String test = context.getRequiredTestClass().getName() + context.getTestMethod().map(Method::getName).map(m -> "." + m).orElse("");
    return new AssertionError(test + " would be skipped (" + thrown.getMessage() + "); tests here never skip: "
        + "install what it needs or make it run without it", thrown);
  }
}
