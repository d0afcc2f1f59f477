package org.csp.edge.sim;

/** A run that did not finish in time, with the report of what it had sent when it gave up. */
public final class SimTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient SimReport partialReport;

  public SimTimeoutException(String message, SimReport partialReport) {
    super(message);
    this.partialReport = partialReport;
  }

  public SimReport partialReport() {
    return partialReport;
  }
}
