package org.csp.edge.bench;

/** The benchmark could not run as asked (a broker that does not start, a node that does not answer). */
final class BenchException extends RuntimeException {
  BenchException(String message) {
    super(message);
  }

  BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
